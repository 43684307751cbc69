"""The catalogue: every claim of the notes by id, and the numpy reference implementations.

    >>> from derivations import catalog
    >>> catalog["1.17:variance"].equation
    '1.17'

Topic modules (probability, naive_bayes, perceptron, gradient_descent, backprop, conv,
batchnorm) each hold their claims and reference implementations; `catalog` imports them on
first use.
"""
from ._registry import TOPICS, Catalog, catalog, claim

__all__ = ["catalog", "claim", "Catalog", "TOPICS"]
