"""`python cli.py …` from a checkout: the `verify` command itself lives in verifier/cli.py."""
from verifier.cli import entry

if __name__ == "__main__":
    entry()
