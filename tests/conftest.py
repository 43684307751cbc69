import os
import tempfile

pytest_plugins = ["pytester"]

# The suite never reads or writes the user's result cache: one fresh cache per test session.
os.environ["DERIVATION_VERIFIER_CACHE"] = tempfile.mkdtemp(prefix="dv-cache-")

import pytest


@pytest.fixture(scope="session")
def catalog():
    from derivations import catalog

    return catalog


@pytest.fixture(scope="session")
def results(catalog):
    """Every catalogue claim verified once per test session (seeded), by id."""
    from verifier import verify

    return {cid: verify(c, seed=20190709) for cid, c in catalog.items()}
