"""The code behind the catalogue's numeric and property lines: finite differences of the
reference implementations, seeded runs of the notes' algorithms, exact searches over random
tables. A topic module declares the claim; the function its `Numeric` or `Property` line runs
lives here, in the module of the same name.
"""
