"""The code behind the catalogue's numeric and property lines: finite differences of the
reference implementations, seeded runs of the notes' algorithms, exact searches over random
tables. A topic module declares the claim; the function its `Numeric` or `Property` line runs
lives here, in the module of the same name.
"""

from sympy import QQ

# The exact rationals of the property checks: SymPy's QQ elements (its pure-Python PythonMPQ, or
# gmpy2's mpq where gmpy2 is installed). The same exact arithmetic, comparisons and str() as
# fractions.Fraction, two to three times faster: the seeded perceptron, naive Bayes and covariate
# shift runs were a tenth of `verify all`.
Fraction = QQ.dtype
