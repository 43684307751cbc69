"""Random variables in claims: the operators E, Var, P and the distributions they are taken under.

A line that mixes random variables and expectations is read literally: E[...] is evaluated
exactly (linearity of E, independence, exact moments), and whatever random quantity is left
outside an E stays a random quantity. Two lines are equal only when they agree for every outcome.
All declared random variables are mutually independent; X[1], X[2], … of an IndexedBase are iid.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any

import sympy as sp

from . import dag
from .errors import ClaimError, Unsupported


class E(sp.Function):
    """The expectation operator E[expr] (kept unevaluated until the engine takes it)."""

    nargs = 1

    def _latex(self, printer: Any, exp: Any = None) -> str:
        out = r"E\left[%s\right]" % printer._print(self.args[0])
        return out if exp is None else r"%s^{%s}" % (out, exp)

    def _sympystr(self, printer: Any) -> str:
        return "E[%s]" % printer._print(self.args[0])

    def _mathml_presentation(self, printer: Any) -> Any:
        return _mathml_operator(printer, "E", "[", "]", self.args[0])

    def _pretty(self, printer: Any) -> Any:
        return _pretty_operator(printer, "E", "[", "]", self.args[0])


class Var(sp.Function):
    """The variance operator Var[expr] = E[expr²] − E[expr]²."""

    nargs = 1

    def _latex(self, printer: Any, exp: Any = None) -> str:
        out = r"\operatorname{Var}\left[%s\right]" % printer._print(self.args[0])
        return out if exp is None else r"%s^{%s}" % (out, exp)

    def _sympystr(self, printer: Any) -> str:
        return "Var[%s]" % printer._print(self.args[0])

    def _mathml_presentation(self, printer: Any) -> Any:
        return _mathml_operator(printer, "Var", "[", "]", self.args[0])

    def _pretty(self, printer: Any) -> Any:
        return _pretty_operator(printer, "Var", "[", "]", self.args[0])


class P(sp.Function):
    """The probability operator P(condition), e.g. P(Eq(X, 1))."""

    nargs = 1

    def _latex(self, printer: Any, exp: Any = None) -> str:
        out = r"P\left(%s\right)" % printer._print(self.args[0])
        return out if exp is None else r"%s^{%s}" % (out, exp)

    def _sympystr(self, printer: Any) -> str:
        return "P(%s)" % printer._print(self.args[0])

    def _mathml_presentation(self, printer: Any) -> Any:
        return _mathml_operator(printer, "P", "(", ")", self.args[0])

    def _pretty(self, printer: Any) -> Any:
        return _pretty_operator(printer, "P", "(", ")", self.args[0])


def _mathml_operator(printer: Any, name: str, left: str, right: str, arg: sp.Basic) -> Any:
    """Presentation MathML `name[arg]` (a DOM element, as SymPy's MathML printer expects)."""
    dom = printer.dom
    mi = dom.createElement("mi")
    if len(name) == 1:
        mi.setAttribute("mathvariant", "normal")  # an operator name, upright, never Euler's e
    mi.appendChild(dom.createTextNode(name))
    inner = dom.createElement("mrow")
    for part in (left, None, right):
        if part is None:
            inner.appendChild(printer._print(arg))
            continue
        mo = dom.createElement("mo")
        mo.appendChild(dom.createTextNode(part))
        inner.appendChild(mo)
    out = dom.createElement("mrow")
    out.appendChild(mi)
    out.appendChild(inner)
    return out


def _pretty_operator(printer: Any, name: str, left: str, right: str, arg: sp.Basic) -> Any:
    """sympy.pretty form `name[arg]`; an atom, so a power prints as E[X]², not E²[X]."""
    from sympy.printing.pretty.stringpict import prettyForm, stringPict

    inner = prettyForm(*printer._print(arg).parens(left, right))
    return prettyForm(*stringPict.next(prettyForm(name), inner), binding=prettyForm.ATOM)


OPERATORS = (E, Var, P)


class Distribution:
    """Base of the distributions a claim can declare; subclasses give exact moments."""

    description = "distribution"

    def moment(self, k: int, atom: sp.Basic) -> sp.Expr:
        """E[X**k], exactly."""
        raise NotImplementedError

    def expect(self, g: sp.Expr, atom: sp.Basic) -> sp.Expr:
        """E[g(X)] for an expression g that is not a polynomial in X."""
        raise Unsupported(f"E[{g}] under {self.description}: only polynomials in {atom} are supported")

    def prob(self, condition: sp.Basic, atom: sp.Basic) -> sp.Expr:
        """P(condition on X)."""
        raise Unsupported(f"P({condition}) under {self.description}")

    def support(self) -> tuple[sp.Expr, sp.Expr, bool] | tuple[sp.Expr, ...]:
        """The outcome values: (lo, hi, integer) for a range, or a tuple of values."""
        return (-sp.oo, sp.oo, False)

    def realizations(self) -> Iterator[Distribution]:
        """Concrete distributions standing in for this one when a counterexample must be realized."""
        yield self

    @property
    def is_concrete(self) -> bool:
        """True when moments are actual values of a real distribution (not free moment symbols)."""
        return True

    def __repr__(self) -> str:
        return self.description


class Finite(Distribution):
    """A finite distribution {value: probability}; E is exact enumeration."""

    def __init__(self, table: Mapping[Any, Any]) -> None:
        self.table = _check_table(table)
        self.description = "finite " + "{" + ", ".join(f"{v}: {p}" for v, p in self.table.items()) + "}"

    def moment(self, k: int, atom: sp.Basic) -> sp.Expr:
        return sp.Add(*[p * v**k for v, p in self.table.items()])

    def expect(self, g: sp.Expr, atom: sp.Basic) -> sp.Expr:
        return sp.Add(*[p * g.xreplace({atom: v}) for v, p in self.table.items()])

    def prob(self, condition: sp.Basic, atom: sp.Basic) -> sp.Expr:
        total = sp.Integer(0)
        for v, p in self.table.items():
            truth = condition.xreplace({atom: v})
            if truth not in (sp.true, sp.false):
                raise Unsupported(f"cannot decide {condition} at {atom} = {v}")
            if truth is sp.true:
                total += p
        return total

    def support(self) -> tuple[sp.Expr, ...]:
        return tuple(self.table)


class Generic(Distribution):
    """Any distribution with finite moments: E[X**k] stays a symbol, so a proof covers them all."""

    # Small concrete distributions used to realize a counterexample (moments must be consistent).
    _STAND_INS = (
        {0: sp.Rational(1, 2), 1: sp.Rational(1, 2)},
        {0: sp.Rational(1, 3), 1: sp.Rational(1, 3), 3: sp.Rational(1, 3)},
        {1: sp.Rational(1, 2), 2: sp.Rational(1, 2)},
        {-1: sp.Rational(1, 4), 2: sp.Rational(3, 4)},
    )

    def __init__(self, name: str | None = None) -> None:
        self.name = name
        self.description = f"any distribution of {name or 'it'} with finite moments"

    def label(self, atom: sp.Basic) -> str:
        """The name its moments carry: the declared name, else the random variable's own name."""
        if self.name:
            return self.name
        return str(atom.base.label if isinstance(atom, sp.Indexed) else atom)

    def moment(self, k: int, atom: sp.Basic) -> sp.Expr:
        if k == 0:
            return sp.Integer(1)
        # Two unnamed Generic() declarations are two unknown distributions: their moments must
        # not share a symbol, so an unnamed one is named after its variable.
        name = self.label(atom)
        return sp.Symbol(f"E[{name}]" if k == 1 else f"E[{name}**{k}]", real=True)

    def realizations(self) -> Iterator[Distribution]:
        for table in self._STAND_INS:
            yield Finite(table)

    @property
    def is_concrete(self) -> bool:
        return False


class _Stats(Distribution):
    """A named distribution computed through sympy.stats (exact, symbolic parameters allowed)."""

    stats_name = ""

    def __init__(self, *params: Any) -> None:
        name = type(self).__name__
        self.params = tuple(_declared(p, f"{name}: {_parameter_name(name, k)}") for k, p in enumerate(params))
        _check_parameters(name, self.params)
        self.description = f"{type(self).__name__}({', '.join(map(str, self.params))})"
        self._moments: dict[int, sp.Expr] = {}

    @cached_property
    def rv(self) -> sp.Basic:
        import sympy.stats as st

        return getattr(st, self.stats_name)("X_", *self.params)

    def moment(self, k: int, atom: sp.Basic) -> sp.Expr:
        if k not in self._moments:
            closed = self._closed_moment(k)
            if closed is None:
                import sympy.stats as st

                closed = sp.simplify(st.moment(self.rv, k))
            self._moments[k] = closed
        return self._moments[k]

    def _closed_moment(self, k: int) -> sp.Expr | None:
        """E[X**k] by the distribution's textbook formula, or None to derive it through sympy.stats.

        Why: sympy.stats integrates or sums, then simplifies, for each k (a Uniform moment took
        0.1 s, 6% of the catalogue's time went to five distributions' moments); the formulas are
        polynomials or products, and tests/test_randvars.py compares each with sympy.stats."""
        return None

    def expect(self, g: sp.Expr, atom: sp.Basic) -> sp.Expr:
        import sympy.stats as st

        return st.E(g.xreplace({atom: self.rv}))

    def prob(self, condition: sp.Basic, atom: sp.Basic) -> sp.Expr:
        import sympy.stats as st

        if isinstance(condition, sp.Eq) and self.discrete:
            # P(X = v) is the pmf at v (sympy.stats cannot solve the event for a symbolic v).
            value = condition.rhs if condition.lhs == atom else condition.lhs if condition.rhs == atom else None
            if value is not None and not value.has(atom):
                return st.density(self.rv)(value)
        return st.P(condition.xreplace({atom: self.rv}))

    @property
    def discrete(self) -> bool:
        """True for distributions with a probability mass function."""
        return isinstance(self, (Bernoulli, Binomial, Poisson))


class Bernoulli(_Stats):
    """X ∈ {0, 1} with P(X = 1) = p."""

    stats_name = "Bernoulli"

    def moment(self, k: int, atom: sp.Basic) -> sp.Expr:
        return sp.Integer(1) if k == 0 else self.params[0]

    def prob(self, condition: sp.Basic, atom: sp.Basic) -> sp.Expr:
        # P(X = v) is the pmf at v, built as sympy.stats' BernoulliDistribution.pmf builds it (the
        # same Piecewise, which evaluates for a number v): the commonest question about a Bernoulli
        # variable then never imports sympy.stats (~50 ms). Any other condition goes through it.
        if isinstance(condition, sp.Eq):
            value = condition.rhs if condition.lhs == atom else condition.lhs if condition.rhs == atom else None
            if value is not None and not value.has(atom):
                p = self.params[0]
                return sp.Piecewise((p, sp.Eq(value, sp.Integer(1))), (1 - p, sp.Eq(value, sp.Integer(0))), (sp.S.Zero, True))
        return super().prob(condition, atom)

    def support(self) -> tuple[sp.Expr, ...]:
        return (sp.Integer(0), sp.Integer(1))


class Binomial(_Stats):
    """Number of successes in n (a concrete integer) Bernoulli(p) trials."""

    stats_name = "Binomial"

    def support(self) -> tuple[sp.Expr, ...]:
        return tuple(sp.Integer(k) for k in range(int(self.params[0]) + 1))


class Poisson(_Stats):
    """P(X = k) = e^{-λ} λ^k / k!."""

    stats_name = "Poisson"

    def _closed_moment(self, k: int) -> sp.Expr:
        # Touchard: E[X^k] = Σ_j S(k, j) λ^j, S the Stirling numbers of the second kind
        from sympy.functions.combinatorial.numbers import stirling

        lam = self.params[0]
        return sp.expand(sp.Add(*[stirling(k, j) * lam**j for j in range(k + 1)]))

    def support(self) -> tuple[sp.Expr, sp.Expr, bool]:
        return (sp.Integer(0), sp.oo, True)


class Uniform(_Stats):
    """Uniform on (a, b)."""

    stats_name = "Uniform"

    def _closed_moment(self, k: int) -> sp.Expr:
        # (b^{k+1} − a^{k+1}) / ((k+1)(b − a)), with the division done: Σ_j a^j b^{k−j} / (k+1)
        a, b = self.params
        return sp.expand(sp.Add(*[a**j * b ** (k - j) for j in range(k + 1)]) / (k + 1))

    def support(self) -> tuple[sp.Expr, sp.Expr, bool]:
        return (self.params[0], self.params[1], False)


class Normal(_Stats):
    """Normal with mean μ and variance σ² (the second parameter is the variance, as N(μ, σ²))."""

    stats_name = "Normal"

    @cached_property
    def rv(self) -> sp.Basic:
        import sympy.stats as st

        return st.Normal("X_", self.params[0], sp.sqrt(self.params[1]))

    def _closed_moment(self, k: int) -> sp.Expr:
        # E[(μ + σZ)^k] = Σ_{j even} C(k, j) μ^{k−j} (σ²)^{j/2} (j − 1)!!
        mu, var = self.params
        return sp.expand(sp.Add(*[sp.binomial(k, j) * mu ** (k - j) * var ** (j // 2) * sp.factorial2(j - 1)
                                  for j in range(0, k + 1, 2)]))


class Exponential(_Stats):
    """Density λ e^{-λx} on x ≥ 0."""

    stats_name = "Exponential"

    def _closed_moment(self, k: int) -> sp.Expr:
        return sp.factorial(k) / self.params[0] ** k  # k! / λ^k

    def support(self) -> tuple[sp.Expr, sp.Expr, bool]:
        return (sp.Integer(0), sp.oo, False)


class Beta(_Stats):
    """Density x^{α-1}(1-x)^{β-1}/B(α, β) on (0, 1)."""

    stats_name = "Beta"

    def _closed_moment(self, k: int) -> sp.Expr:
        # B(α + k, β) / B(α, β) = Π_{r<k} (α + r) / (α + β + r)
        al, be = self.params
        return sp.Mul(*[(al + r) / (al + be + r) for r in range(k)])

    def support(self) -> tuple[sp.Expr, sp.Expr, bool]:
        return (sp.Integer(0), sp.Integer(1), False)


# --- checking declarations (when a distribution is built) ----------------------------------------

# What each parameter of a named distribution must be. A number is checked outright; a symbol
# only by its assumptions (it stands for every admissible value), so nothing true is refused.
_PARAMETERS: dict[str, tuple[tuple[str, str], ...]] = {
    "Bernoulli": (("p", "probability"),),
    "Binomial": (("n", "count"), ("p", "probability")),
    "Poisson": (("λ", "positive"),),
    "Uniform": (("a", "real"), ("b", "real")),
    "Normal": (("μ", "real"), ("σ²", "positive")),
    "Exponential": (("λ", "positive"),),
    "Beta": (("α", "positive"), ("β", "positive")),
}
_MEANING = {
    "probability": ("a probability in [0, 1]", "a number in [0, 1] such as sp.Rational(1, 3), or a Symbol whose domain lies in (0, 1)"),
    "count": ("a whole number ≥ 0", "a number of trials such as 10"),
    "positive": ("a positive finite number", "a number > 0 such as 2, or a Symbol whose domain lies in (0, oo)"),
    "real": ("a finite real number", "a number such as -1 or sp.Rational(1, 2), or a Symbol"),
}


def _declared(value: Any, what: str) -> sp.Expr:
    """A parameter or table entry as SymPy: a float means the decimal it prints as (0.1 is 1/10)."""
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return sp.Rational(repr(value))  # Finite({0: 0.7, 1: 0.2, 2: 0.1}) adds up to exactly 1
    try:
        out = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError, ValueError):
        out = None
    if not isinstance(out, sp.Expr) or out.has(sp.nan, sp.zoo):
        raise ClaimError(f"{what} = {value!r} is not a number", "give numbers, Rationals or SymPy symbols (never strings)")
    return out


def _parameter_name(name: str, k: int) -> str:
    """The k-th parameter's name in messages (μ, σ², …), else its position."""
    spec = _PARAMETERS.get(name, ())
    return spec[k][0] if k < len(spec) else f"parameter {k + 1}"


def _violates(value: sp.Expr, kind: str) -> bool:
    """True when value is known to break the condition `kind` (unknown is no violation)."""
    if value.is_extended_real is False or value.is_finite is False:
        return True
    if kind == "probability":
        return bool(value.is_negative or (value - 1).is_positive)
    if kind == "count":
        return bool(value.is_integer is False or value.is_negative)
    if kind == "positive":
        return value.is_positive is False
    return False


def _check_parameters(name: str, params: tuple[sp.Expr, ...]) -> None:
    """Refuse parameters a distribution cannot have (Bernoulli(2), Uniform(1, 0), Normal(0, -1), …)."""
    spec = _PARAMETERS.get(name)
    if spec is None:
        return
    call = f"{name}({', '.join(map(str, params))})"
    if len(params) != len(spec):
        names = ", ".join(n for n, _ in spec)
        raise ClaimError(f"{name} takes {len(spec)} parameter{'s' if len(spec) > 1 else ''} ({names}), got {len(params)}",
                         f"write {name}({names})")
    for (pname, kind), value in zip(spec, params):
        if _violates(value, kind):
            meaning, example = _MEANING[kind]
            if name == "Normal" and pname == "σ²":
                meaning += " (the second parameter is the variance)"
            shown = value if value.is_number else f"{value} (by its assumptions)"
            raise ClaimError(f"{call}: {pname} = {shown} is not {meaning}", f"give {pname} as {example}")
    if name == "Uniform" and (params[1] - params[0]).is_positive is False:
        raise ClaimError(f"{call}: the interval is empty (a ≥ b)", "give the lower end first, e.g. Uniform(0, 1)")


def _check_table(table: Any) -> dict[sp.Expr, sp.Expr]:
    """A Finite table {value: probability} as SymPy, refused when it is not a distribution."""
    if not isinstance(table, Mapping) or not table:
        raise ClaimError(f"Finite({table!r}) needs a non-empty dict {{value: probability}}", "e.g. Finite({0: sp.Rational(1, 2), 1: sp.Rational(1, 2)})")
    out: dict[sp.Expr, sp.Expr] = {}
    for v, p in table.items():
        value = _declared(v, "Finite: the value")
        if _violates(value, "real"):
            raise ClaimError(f"Finite: the value {value} is not a finite real number", "outcomes are real numbers or Symbols")
        if value in out:
            raise ClaimError(f"Finite: the value {value} appears twice", "give each outcome once, with its total probability")
        prob = _declared(p, f"Finite: the probability of {value}")
        if _violates(prob, "probability"):
            raise ClaimError(f"Finite: the probability of {value} is {prob}, not a probability in [0, 1]", "give each probability as a number in [0, 1], e.g. sp.Rational(1, 4)")
        out[value] = prob
    excess = sp.expand(sp.Add(*out.values()) - 1)
    if excess.is_number and excess.is_zero is False:  # symbolic tables (1 - p, p) are the user's to keep
        raise ClaimError(f"Finite: the probabilities add up to {sp.Add(*out.values())}, not 1",
                         "make them sum to 1 (exact Rationals: sp.Rational(1, 3), not 0.333)")
    return out


# --- evaluation --------------------------------------------------------------------------------


def has_operators(expr: sp.Basic) -> bool:
    """True when expr contains E, Var or P."""
    return isinstance(expr, sp.Basic) and dag.has(expr, *OPERATORS)


class Expectations:
    """Evaluates E, Var and P in a line, given the random declarations of a claim."""

    def __init__(self, random: Mapping[Any, Distribution], memo: dict | None = None) -> None:
        self.random = dict(random)
        # what `eliminate` gave for each subexpression: a function of it and of `random` alone, so
        # a memo kept by the caller serves every line of a claim (and every candidate edit of one)
        self._memo = memo
        self.symbols = {v for v in self.random if isinstance(v, sp.Symbol)}
        self.bases = {v for v in self.random if isinstance(v, sp.IndexedBase)}

    def distribution(self, atom: sp.Basic) -> Distribution:
        """The distribution of a random atom (a declared Symbol, or X[k] of a declared IndexedBase)."""
        if atom in self.symbols:
            return self.random[atom]
        return self.random[atom.base]

    def is_atom(self, e: sp.Basic) -> bool:
        """True for a random atom."""
        return e in self.symbols or (isinstance(e, sp.Indexed) and e.base in self.bases)

    def atoms(self, expr: sp.Basic) -> set[sp.Basic]:
        """The random atoms of expr (outside and inside operators)."""
        found = {s for s in dag.free_symbols(expr) if s in self.symbols}
        found |= {i for i in dag.atoms(expr, sp.Indexed) if i.base in self.bases}
        return found

    def is_random(self, expr: sp.Basic) -> bool:
        """True when expr depends on the outcome (has a random atom outside every operator)."""
        if not isinstance(expr, sp.Basic):
            return False
        if isinstance(expr, OPERATORS):
            return False
        if self.is_atom(expr):
            return True
        return any(self.is_random(a) for a in expr.args)

    def eliminate(self, expr: sp.Basic) -> sp.Basic:
        """Replace every E, Var and P by its exact value, innermost first."""
        if not isinstance(expr, sp.Basic):
            return expr
        memo = self._memo
        if memo is not None:
            hit = memo.get(expr)
            if hit is not None:
                return hit
        if not has_operators(expr):
            return expr
        if isinstance(expr, sp.MatrixBase):
            out = expr.applyfunc(self.eliminate)
        else:
            args = [self.eliminate(a) for a in expr.args]
            if isinstance(expr, E):
                out = self.expect(args[0])
            elif isinstance(expr, Var):
                x = args[0]
                out = sp.expand(self.expect(sp.expand(x**2)) - self.expect(x) ** 2)
            elif isinstance(expr, P):
                out = self.probability(args[0])
            else:
                out = expr.func(*args)
        if memo is not None:
            memo[expr] = out
        return out

    def probability(self, condition: sp.Basic) -> sp.Expr:
        """P(condition) for a condition on one random atom."""
        atoms = self.atoms(condition)
        if len(atoms) != 1:
            raise Unsupported(f"P({condition}) must involve exactly one random variable")
        (atom,) = atoms
        return self.distribution(atom).prob(condition, atom)

    def expect(self, x: sp.Basic) -> sp.Expr:
        """E[x] by linearity, independence and exact moments."""
        if not self.is_random(x):
            return x
        if isinstance(x, sp.Add):
            return sp.Add(*[self.expect(t) for t in x.args])
        if isinstance(x, sp.Sum):
            # E is linear over a sum of any length, symbolic bounds included.
            try:
                inner = self.expect(x.function)
            except Unsupported:
                return self._expect_power_sums(x)
            return sp.Sum(inner, *x.limits).doit()
        if isinstance(x, sp.Mul):
            const = [f for f in x.args if not self.is_random(f)]
            rand = [f for f in x.args if self.is_random(f)]
            if const:
                return sp.Mul(*const) * self.expect(sp.Mul(*rand))
        if x.has(sp.Sum):
            # Products and powers of sums of iid variables: through power sums, for every n.
            return self._expect_power_sums(x)
        expanded = sp.expand(x)
        if expanded != x and isinstance(expanded, sp.Add):
            return self.expect(expanded)
        return self._monomial(expanded)

    def _to_power_sums(self, e: sp.Basic, table: dict) -> sp.Basic:
        """Rewrite each Σ_i f(X[i]) (f a polynomial, coefficients free of i) as Σ_k c_k P_k."""
        if isinstance(e, sp.Sum):
            if len(e.limits) != 1:
                raise Unsupported(f"{e}: one summation index at a time")
            i, lo, hi = e.limits[0]
            body = sp.expand(self._to_power_sums(e.function, table))
            total = sp.Integer(0)
            for term in sp.Add.make_args(body):
                bases = {a.base for a in term.atoms(sp.Indexed) if a.indices == (i,) and a.base in self.bases}
                if len(bases) > 1:
                    raise Unsupported(f"{term}: two sequences indexed by {i}")
                if not bases:
                    if term.has(i):
                        raise Unsupported(f"{term} depends on the index {i}")
                    total += term * (hi - lo + 1)
                    continue
                (base,) = bases
                atom = base[i]
                k = sp.degree(term, atom) if term.is_polynomial(atom) else None
                rest = sp.cancel(term / atom**k) if k else None
                if not k or rest.has(i):
                    raise Unsupported(f"{term}: not a power of {atom} times a factor free of {i}")
                key = (base, int(k), lo, hi)
                if key not in table:
                    table[key] = _PowerSum(f"P[{base},{k},{lo},{hi}]", real=True)
                total += rest * table[key]
            return total
        if e.args and e.has(sp.Sum):
            return e.func(*[self._to_power_sums(a, table) for a in e.args])
        return e

    def _expect_power_sums(self, x: sp.Expr) -> sp.Expr:
        """E of a polynomial in power sums of iid sequences: a sum over set partitions, exact for all n."""
        from sympy.utilities.iterables import multiset_partitions

        table: dict = {}
        y = sp.expand(self._to_power_sums(x, table))
        if y.has(sp.Sum):
            raise Unsupported(f"E[{x}]: a sum that is not a power sum of an iid sequence")
        info = {sym: key for key, sym in table.items()}
        total = sp.Integer(0)
        for term in sp.Add.make_args(y):
            factors: dict = {}
            rest = sp.Integer(1)
            for f in sp.Mul.make_args(term):
                b, e_ = f.as_base_exp()
                if isinstance(b, _PowerSum) and e_.is_Integer and e_ > 0:
                    base, k, lo, hi = info[b]
                    factors.setdefault((base, lo, hi), []).extend([k] * int(e_))
                else:
                    rest *= f
            for (base, _, _) in factors:
                if any(isinstance(a, sp.Indexed) and a.base == base for a in self.atoms(rest)):
                    raise Unsupported(f"{term}: a sum over {base} times one of its own terms")
            ranges = list(factors)
            for r, (base, lo, hi) in enumerate(ranges):
                for (base2, lo2, hi2) in ranges[r + 1 :]:
                    # Sums over the same sequence are independent only when their ranges are disjoint.
                    if base2 == base and not ((lo2 - hi).is_positive or (lo - hi2).is_positive):
                        raise Unsupported(f"{term}: sums of {base} over ranges {lo}…{hi} and {lo2}…{hi2} that may overlap")
            value = self.expect(rest) if self.is_random(rest) else rest
            for (base, lo, hi), ks in factors.items():
                size = hi - lo + 1
                dist = self.random[base]
                part_sum = sp.Integer(0)
                for partition in multiset_partitions(list(range(len(ks)))):
                    term_value = sp.ff(size, len(partition))
                    for block in partition:
                        term_value *= dist.moment(sum(ks[r] for r in block), base[lo])
                    part_sum += term_value
                value *= part_sum
            total += value
        return sp.expand(total)

    def _monomial(self, x: sp.Expr) -> sp.Expr:
        atoms = sorted(self.atoms(x), key=sp.default_sort_key)
        if len(atoms) == 1 and not x.is_polynomial(atoms[0]):
            return self.distribution(atoms[0]).expect(x, atoms[0])
        _check_independent(atoms)
        try:
            poly = sp.Poly(x, *atoms)
        except sp.PolynomialError as exc:
            raise Unsupported(f"E[{x}]: not a polynomial in {', '.join(map(str, atoms))}") from exc
        total = sp.Integer(0)
        for powers, coeff in poly.terms():
            if self.is_random(coeff):
                raise Unsupported(f"E[{x}]: random coefficient {coeff}")
            term = coeff
            for atom, k in zip(atoms, powers):
                if k:
                    term *= self.distribution(atom).moment(k, atom)
            total += term
        return total


class _PowerSum(sp.Symbol):
    """Σ_{i=lo}^{hi} base[i]**k as one random symbol (only inside expectation evaluation)."""


def _check_independent(atoms: list[sp.Basic]) -> None:
    """Distinct atoms are independent only when their indices are known to differ."""
    indexed = [a for a in atoms if isinstance(a, sp.Indexed)]
    for i, a in enumerate(indexed):
        for b in indexed[i + 1 :]:
            if a.base == b.base and not all((x - y).is_nonzero for x, y in zip(a.indices, b.indices)):
                raise Unsupported(f"{a} and {b} may be the same variable; needs concrete indices")
