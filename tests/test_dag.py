"""verifier.dag walks expressions as DAGs: the same answers as SymPy's tree walks."""
from __future__ import annotations

import pytest
import sympy as sp
from sympy.core.function import AppliedUndef

from verifier import dag

x, y, z, t = sp.symbols("x y z t")
i = sp.Symbol("i", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
X = sp.IndexedBase("X")
f, g = sp.Function("f"), sp.Function("g")
shared = f(x + y) * g(f(x + y))  # one subtree used many times, as in a network's layers

EXPRESSIONS = {
    "shared subtrees": shared**2 + shared * f(x + y) + sp.sin(shared),
    "a sum over a size": sp.Sum(X[i] * x, (i, 1, n)) + sp.Sum(X[i] ** 2, (i, 1, 3)),
    "derivatives": sp.Derivative(f(x * y) * g(x), x) + sp.Derivative(shared, y, 2),
    "a subs": sp.Subs(sp.Derivative(f(t), t), t, x + y) * y,
    "an integral": sp.Integral(x * y, (x, 0, 1)) + z,
    "a lambda": sp.Lambda(t, t + y)(x),
    "unevaluated": sp.UnevaluatedExpr(x + x) * 2 + sp.Derivative(x**2, x),
    "a matrix": sp.ImmutableMatrix([[shared, sp.Derivative(f(x) ** 2, x)], [sp.Sum(X[i], (i, 1, 2)), z]]),
    "a mutable matrix": sp.Matrix([[x + y, sp.Derivative(x * y, y)]]),
}


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_same_as_sympy(name):
    e = EXPRESSIONS[name]
    rule = {z: x + 1, f(x + y): t, X[1]: y, sp.Integer(2): 3}
    assert dag.xreplace(e, rule) == e.xreplace(rule)
    assert dag.doit(e) == e.doit()
    assert dag.free_symbols(e) == e.free_symbols
    for types in ((sp.Indexed,), (sp.Pow,), (sp.Symbol,), (sp.Derivative, sp.Subs)):
        assert dag.atoms(e, *types) == e.atoms(*types)


def test_unchanged_subtrees_are_the_same_objects():
    e = EXPRESSIONS["shared subtrees"] + y
    out = dag.xreplace(e, {y: z})
    assert dag.xreplace(e, {t: z}) is e  # nothing to replace: nothing rebuilt
    assert out == e.xreplace({y: z})


def test_functions_applied_inside_sums_and_products():
    # SymPy's subs(f, Lambda) raises TypeError inside a Sum or Product; the stand-in functions of
    # the witness search must reach there too.
    lam = sp.Lambda(t, t**2 + 1)
    for e in (sp.Sum(f(i) * x, (i, 1, n)), sp.Product(f(i), (i, 1, 3)), sp.Sum(f(X[i]), (i, 1, 2)) + f(f(x))):
        assert dag.apply_functions(e, {f: lam}) == e.replace(f, lam)
    # an application of another arity (P(x) beside P(x, y)) stays, as SymPy's subs leaves it
    two = sp.Lambda((t, z), t + 2 * z)
    assert dag.apply_functions(f(x) + f(x, y), {f: two}) == (f(x) + f(x, y)).subs({f: two})


# First-order derivatives, evaluated by dag.doit through SymPy's own rules node by node (Add, Mul,
# Pow, functions by fdiff) and by SymPy itself for everything else: the same expression as doit().
sig = sp.Function("sigma")
layer1 = sig(x * y + z)
layer2 = sig(3 * layer1 + y * layer1**2)
DERIVATIVES = {
    "a network": sp.Derivative((layer2 - t) ** 2 / 2, y),
    "a network, inner weight": sp.Derivative(sp.exp(layer2) * layer1, x),
    "a symbolic power": sp.Derivative(x**y * (x + 1) ** sp.Rational(-1, 2), x),
    "the variable in an exponent": sp.Derivative(x**x + 2 ** (x * y) + layer1**x, x),
    "known functions": sp.Derivative(sp.log(x**2 + 1) * sp.sin(x * y) + sp.sqrt(x) * sp.exp(-x), x),
    "two arguments": sp.Derivative(g(x**2, x * y) + f(x) * g(x, y), x),
    "a sum": sp.Derivative(sp.Sum(X[i] * x**i, (i, 1, n)) * x, x),
    "an indexed variable inside": sp.Derivative(X[1] * x + sp.Abs(x), x),
    "a subs inside": sp.Derivative(sp.Subs(sp.Derivative(f(t), t), t, x**2) * x, x),
    "a derivative inside": sp.Derivative(sp.Derivative(f(x * y), y) * x, x),
    "not there": sp.Derivative(f(y) + z, x),
    "a piecewise": sp.Derivative(sp.Piecewise((x**2, x > 0), (-x, True)) * y, x),
    "a dummy variable": sp.Derivative(sig(t**2) * t, t),
}


@pytest.mark.parametrize("name", sorted(DERIVATIVES))
def test_derivatives_as_sympy_builds_them(name):
    e = DERIVATIVES[name]
    assert dag.doit(e) == e.doit()
    assert dag.doit(e * y + 1) == (e * y + 1).doit()


def _same_object(a: sp.Basic, b: sp.Basic) -> bool:
    """Equal, equally hashed, and built alike (the renamed expression a Subs compares by included)."""
    return a == b and hash(a) == hash(b) and sp.srepr(a) == sp.srepr(b) and a._expr == b._expr


_d = sp.Dummy("d")
SUBS_CASES = {
    "a network's point": (sp.Derivative(f(t), t), (t,), (x * f(y * f(x + 1) + 2) + 3,)),
    "two variables, one point": (f(t, z) + t * z, (t, z), (x + y, x + y)),
    "two points": (f(t, z), (t, z), (x + 1, y**2)),
    # a Float prints its trailing zeros at the top only: the same Float printed both ways
    "a float at the top and inside": (f(t, z), (t, z), (sp.Float("0.50"), x + sp.Float("0.50"))),
    "a dummy in the point": (f(t), (t,), (_d + 1,)),
    "a name that clashes": (sp.Symbol("_1") + sp.Symbol("_0"), (sp.Symbol("_0"), sp.Symbol("_1")), (1, 0)),
    "a subs of a subs": (sp.Subs(f(t, z), t, x), (z,), (y,)),
    "no point": (f(t), (), ()),
}


@pytest.mark.parametrize("name", sorted(SUBS_CASES))
def test_subs_node_is_sympys_subs(name):
    expr, variables, point = SUBS_CASES[name]
    printed: dict = {}
    built = dag.subs_node(expr, variables, point, printed=printed)
    again = dag.subs_node(expr, variables, point, printed=printed)  # from the memo this time
    reference = sp.Subs(expr, variables, point)
    for got in (built, again):
        if isinstance(reference, sp.Subs):
            assert _same_object(got, reference)
        else:
            assert got == reference


def test_renaming_a_network_rebuilds_its_subs_as_sympy_does():
    # the symbols renamed to their assumed versions (same names): every σ′(z) is rebuilt
    a = sp.Symbol("a")
    layers = [a]
    for k in range(4):
        layers.append(f(sp.Symbol(f"w{k}") * layers[-1] + sp.Float("0.5")))
    net = sp.diff(layers[-1], a)
    assert net.has(sp.Subs)
    rule = {s: sp.Symbol(s.name, real=True) for s in net.free_symbols}
    ours, theirs = dag.xreplace(net, rule), net.xreplace(rule)
    assert ours == theirs
    pairs = zip(sorted(dag.atoms(ours, sp.Subs), key=sp.default_sort_key), sorted(theirs.atoms(sp.Subs), key=sp.default_sort_key))
    assert all(_same_object(p, q) for p, q in pairs)


def test_has_is_sympys_has_for_classes_on_shared_subtrees():
    f = sp.Function("f")
    x, y = sp.symbols("x y")

    def network(layers: int) -> sp.Expr:  # each layer uses the one before twice: a tree of 2^layers leaves
        layer = f(x + y)
        for _ in range(layers):
            layer = f(layer + 1) * f(layer - 1)
        return layer

    small = network(4)
    cases = [small, small + sp.Sum(x, (x, 1, 3)), sp.Derivative(f(x), x) + small, sp.ImmutableMatrix([[x, sp.log(y)]]),
             sp.Integer(2), x * y]
    kinds = [(sp.Sum,), (AppliedUndef,), (sp.Derivative, sp.Subs), (sp.log,), (sp.Pow, sp.Integral), (sp.Symbol,)]
    for e in cases:
        for k in kinds:
            assert dag.has(e, *k) == e.has(*k), (e, k)
    large = network(40)  # SymPy's own walk would not finish
    assert dag.has(large, AppliedUndef) and not dag.has(large, sp.Sum, sp.log)
    assert not dag.has(3, sp.Symbol)


def test_atoms_memo_matches_sympy_and_reuses_subtrees():
    """dag.atoms_memo gives SymPy's atoms of the asked types, and a second expression sharing a
    subtree with the first is answered from the memo for that subtree."""
    x, y = sp.symbols("x y")
    X = sp.IndexedBase("X")
    shared = sp.sin(X[1] * x) + X[2] ** 2
    memo: dict = {}
    for e in (shared * y + X[3], shared - X[1] + sp.exp(y)):
        assert dag.atoms_memo(e, (sp.Indexed,), memo) == e.atoms(sp.Indexed)
    assert memo[shared] == frozenset({X[1], X[2]})


def test_an_equal_twin_of_a_memoized_subexpression_comes_back_as_itself():
    """SymPy does not intern expressions: a line can hold an object equal to one an earlier line
    memoized. Given back the memoized twin, its parent would look changed and be rebuilt (a
    network's Subs, printing its points again); it must come back as itself, parent untouched."""
    x, y = sp.symbols("x y")
    f = sp.Function("f")
    subs = lambda: sp.Subs(sp.Derivative(f(x, y), x), (x, y), (x + 1, y**2))  # noqa: E731
    product = lambda: f(x + 1, y**2) * sp.sin(x)  # noqa: E731  (doit leaves it as it is)
    for build, walk in ((subs, lambda e, memo: dag.xreplace(e, {sp.Symbol("unused"): y}, memo)),
                        (subs, lambda e, memo: dag.rewrite(e, lambda node, go: None, memo)),
                        (product, lambda e, memo: dag.doit(e, state=memo))):
        first = build()
        sp.core.cache.clear_cache()
        twin = build()
        assert twin == first and twin is not first
        parent = sp.Mul(3, twin, sp.sin(twin), evaluate=False)
        memo: dict = {}
        assert walk(first, memo) is first
        assert walk(parent, memo) is parent
    # apply_functions keeps its memo for one call: a line holding both twins comes back as itself
    first = product()
    sp.core.cache.clear_cache()
    twin = product()
    line = sp.Add(first, sp.Mul(3, twin, evaluate=False), evaluate=False)
    assert dag.apply_functions(line, {sp.Function("g"): sp.Lambda(x, x**2)}) is line


def test_atoms_in_is_the_union_of_sympys_atoms():
    e = EXPRESSIONS["shared subtrees"]
    m = sp.ImmutableMatrix([[e + 1, sp.Symbol("q")], [2, e]])
    mutable = sp.Matrix([[sp.sin(sp.Symbol("r")), 0]])
    exprs = [e, m, mutable, 3, "text", None]
    for types in ((sp.Symbol,), (sp.Pow, sp.sin), (sp.Integer,)):
        want = set().union(*(x.atoms(*types) for x in (e, m, *mutable)))
        assert dag.atoms_in(exprs, *types) == want
    assert dag.atoms_in([], sp.Symbol) == set()


def test_fdiff_builds_the_object_sympy_builds():
    """dag.fdiff(f(…), k) is SymPy's f(…).fdiff(k): a Derivative where SymPy writes one, else the
    same Subs (its variable named after the same printed point), with one printing memo for all."""
    from sympy.core.function import ArgumentIndexError

    from derivations.symbolic import Loss, sigma
    from derivations.symbolic.conv import ConvLayerToNext

    f, g = sp.Function("f"), sp.Function("g")
    x, y, z = sp.symbols("x y z")
    layer = ConvLayerToNext(3, 3, 2, 2)
    cases = [(f(x), 1), (f(x, y), 1), (f(x, y), 2), (f(x, x + y), 1), (f(x * y, sigma(z)), 1), (f(x * y, sigma(z)), 2),
             (g(f(x), x), 1), (g(sp.Derivative(f(x), x), y), 1), (Loss(sigma(x) * y + 1, sigma(x) + z), 2)]
    cases += [(layer.loss, k) for k in range(1, len(layer.loss.args) + 1)]
    printed: dict = {}
    for app, k in cases:
        ours, theirs = dag.fdiff(app, k, printed), app.fdiff(k)
        assert ours == theirs and sp.srepr(ours) == sp.srepr(theirs), (app, k)
    assert isinstance(dag.fdiff(f(x, y), 1), sp.Derivative) and isinstance(dag.fdiff(f(x * y, z), 1), sp.Subs)
    with pytest.raises(ArgumentIndexError):
        dag.fdiff(f(x, y), 3)


def test_the_catalogues_subs_is_sympys():
    """derivations.symbolic.Subs builds the object sympy.Subs builds, variables given bare or as sequences."""
    from derivations.symbolic import Subs

    u, v = sp.symbols("u v")
    cases = [
        (sp.Derivative(f(t), t), t, x + y),
        (sp.Derivative(f(t) * g(u), u), (t, u), (x, y * z)),
        (sp.Derivative(f(t, u), t), [t, u], [u, t]),  # a point naming the other variable
        (f(x) + x, x, 0),
        (sp.Derivative(sp.Sum(X[i] * u, (i, 1, n)), u), u, v**2),
    ]
    for expr, variables, point in cases:
        assert sp.srepr(Subs(expr, variables, point)) == sp.srepr(sp.Subs(expr, variables, point))
