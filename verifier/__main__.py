"""`python -m verifier …`: the `verify` command (verifier/cli.py)."""
from .cli import entry

if __name__ == "__main__":
    entry()
