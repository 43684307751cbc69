"""The catalogue: every claim of the notes by id, and the numpy reference implementations.

    >>> from derivations import catalog
    >>> catalog["1.17:variance"].equation
    '1.17'

Topic modules (probability, naive_bayes, perceptron, gradient_descent, backprop, conv,
batchnorm, todos) each declare their claims, the notes' lines in order; `catalog` imports them
on first use. What the claims are built from lives beside them:

    reference/  the numpy reference implementations (the oracles), re-exported by the topic
                modules that check them: derivations.backprop.gradients, derivations.conv.forward, …
    symbolic/   symbolic networks and graphs the claims of chapter 3 are written with, and the
                one way to turn lines with abbreviations into a claim's `where` and `domain`
    checks/     the code that numeric and property lines run (finite differences, seeded runs)
"""
from ._registry import TOPICS, Catalog, catalog, claim

__all__ = ["catalog", "claim", "Catalog", "TOPICS"]
