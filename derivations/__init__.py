"""The catalogue: every claim of the notes by id, filled by importing the topic modules.

    >>> from derivations import catalog
    >>> catalog["1.17:variance"].equation
    '1.17'
"""
from ._registry import Catalog, catalog, claim

from . import _ch1  # noqa: E402,F401  (importing a topic module registers its claims)

__all__ = ["catalog", "claim", "Catalog"]
