"""The code behind the catalogue's numeric and property lines: finite differences of the
reference implementations, seeded runs of the notes' algorithms, exact searches over random
tables. A topic module declares the claim; the function its `Numeric` or `Property` line runs
lives here, in the module of the same name.
"""

from sympy import QQ

# The exact rationals of the property checks: SymPy's QQ elements, gmpy2's mpq (gmpy2 is a
# dependency; SymPy falls back to its pure-Python PythonMPQ without it, or with
# SYMPY_GROUND_TYPES=python). The same exact arithmetic, comparisons and str() as
# fractions.Fraction: PythonMPQ was two to three times faster than Fraction, mpq is 1.5–3 times
# faster again (four seeded property claims: 0.38 → 0.20 s).
Fraction = QQ.dtype
