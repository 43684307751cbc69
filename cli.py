"""`python cli.py …` from a checkout: the `verify` command itself lives in verifier/cli.py."""
import sys

from verifier.cli import main

if __name__ == "__main__":
    sys.exit(main())
