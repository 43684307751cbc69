"""The context's row scopes, zero padding ([support]) and the entry reading of vectors ([shapes]);
a restated definition is a claim, never a definition; δ-sums without closed forms; [where] keys
that match their own layer only. Each test fails if its capability is taken away."""
from pathlib import Path

import pytest
import sympy as sp

from verifier import verify
from verifier.notes.chains import SymbolTable, _zero_outside, conventions, plan
from verifier.notes.context import Context, ContextError, Scope, load_context
from verifier.notes.entries import EntryReader
from verifier.notes.latex import LatexError, _sum_deltas, expand_definitions


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def steps_of(tmp_path: Path, notes: str, context: str = "") -> tuple:
    path = write(tmp_path, "n.md", notes)
    ctx = load_context(write(tmp_path, "n.verify.toml", context)) if context else Context()
    p = plan(path, ctx)
    return p, [(s.line, s.status) for s in p.steps]


# --- rows -----------------------------------------------------------------------------------------
def test_a_scope_with_rows_covers_only_those_rows_of_its_display(tmp_path):
    ctx = load_context(write(tmp_path, "c.toml", '''
[[scope]]
labels = ["X"]
rows = [2]
[scope.random]
Y = "Generic"
'''))
    assert ctx.for_chain("1", "X", 2).random == {"Y": "Generic"}
    assert ctx.for_chain("1", "X", 1).random == {}
    assert ctx.for_chain("1", "X", None).random == {}


@pytest.mark.parametrize("rows", ["[0]", '["1"]', "3", "[true]"])
def test_rows_must_be_row_numbers(tmp_path, rows):
    with pytest.raises(ContextError, match="rows in scope 1"):
        load_context(write(tmp_path, "c.toml", f'[[scope]]\nlabels = ["X"]\nrows = {rows}\n'))


# --- a restated definition is a claim -------------------------------------------------------------
RESTATED = r"""# Notes

$$d_j = \frac{\partial L}{\partial z_j} \tag{1}$$

Later, restated (wrongly: the factor 3 is not in the model):

$$d_j = 3 z_j \tag{2}$$
"""


def test_a_line_restating_a_defined_name_is_not_a_definition(tmp_path):
    _, steps = steps_of(tmp_path, RESTATED)
    assert steps[0][1] == "definition"
    assert steps[1][1] == "needs context"  # never silently a definition: a wrong line is not let through


def test_with_a_model_the_restated_line_is_checked_and_a_wrong_one_refuted(tmp_path):
    p, steps = steps_of(tmp_path, RESTATED, r'''
[notation]
opaque = ["L"]
[[scope]]
labels = ["2"]
[scope.where]
"L" = "z_j^2"
"d_j" = "\\frac{\\partial L}{\\partial z_j}"
''')
    assert steps[1][1] == "checked by the engine"
    (claim,) = p.claims
    assert str(verify(claim).verdict) == "refuted"  # d_j = 2 z_j in the model, not 3 z_j


def test_the_vector_form_of_a_defined_name_is_a_restatement(tmp_path):
    _, steps = steps_of(tmp_path, r"""$$v_j = 2 x_j \tag{1}$$

$$\vec{v} = 2 \vec{x} \tag{2}$$
""")
    assert [s for _, s in steps] == ["definition", "needs context"]


# --- [support]: zero padding ------------------------------------------------------------------------
def test_support_makes_entries_outside_the_ranges_zero():
    scope = Scope(support={"w": "1..r"}, notation={"integers": ["r", "p"]})
    symbols = SymbolTable(conventions(scope), scope)
    w, r, p = sp.IndexedBase(symbols("w")), symbols("r"), symbols("p")
    padded = _zero_outside(w[p] + w[0] + w[1], scope.support, symbols)
    assert padded.xreplace({p: 5, r: 3}) == w[1]  # w_5 and w_0 are padding when r = 3
    assert padded.xreplace({p: 2, r: 3}) == w[2] + w[1]
    # a bound index stays bound (a Piecewise would be lifted out of the sum by SymPy)
    s = sp.Sum(_zero_outside(w[p], scope.support, symbols), (p, 1, r))
    assert p not in s.free_symbols


def test_a_support_entry_must_be_ranges(tmp_path):
    with pytest.raises(ContextError, match="is not a support"):
        load_context(write(tmp_path, "c.toml", '[support]\nw = "r"\n'))


# --- [shapes]: the entry reading ---------------------------------------------------------------------
J, K, j, k, l = sp.symbols("J K j k l", integer=True)
W, A, D = sp.IndexedBase("w"), sp.IndexedBase("a"), sp.IndexedBase("delta")


def reader(**kw) -> EntryReader:
    shapes = {"w": [(1, J), (1, K)], "a": [(1, K)], "delta": [(1, J)]}
    return EntryReader(shapes, (j, k), {"sigma"}, lambda num, var: sp.Function("d")(num, var),
                       lambda n: sp.Symbol(n), **kw)


def test_a_matrix_times_a_vector_is_a_sum_over_the_columns():
    e = sp.Function("matmul")(W[l], A[l - 1])
    s = sp.Symbol("s", integer=True)
    assert reader().read(e) == sp.Sum(W[j, s, l] * A[s, l - 1], (s, 1, K))


def test_an_outer_product_and_a_transpose():
    T = sp.Function("transpose")
    assert reader().read(sp.Function("matmul")(D[l], T(A[l - 1]))) == D[j, l] * A[k, l - 1]
    assert reader().read(T(W[l])) == W[k, j, l]


def test_entrywise_product_function_and_derivative():
    sigma = sp.Function("sigma")
    e = D[l] * sp.Derivative(sigma(A[l]), A[l])
    assert reader().read(e) == D[j, l] * sp.Derivative(sigma(A[j, l]), A[j, l])


def test_a_vector_plus_a_number_is_refused_unless_broadcast_is_declared():
    b = sp.Symbol("b")
    with pytest.raises(LatexError, match="entry reading"):
        reader().read(D[l] + b)
    assert reader(broadcast=True).read(D[l] + b) == D[j, l] + b


def test_a_vector_identity_is_proved_and_a_wrong_one_refuted_entry_by_entry(tmp_path):
    notes = r"""$$z_j = \sum_{k} w_{jk} a_k \tag{1}$$

$$\vec{z} = \boldsymbol{w} \vec{a} \tag{2}$$

$$\vec{z} = \boldsymbol{w}^{\mathrm{T}} \vec{a} \tag{3}$$
"""
    context = r'''
[ranges]
k = "1..K"
[[scope]]
labels = ["2", "3"]
[scope.notation]
entries = ["j", "k"]
[scope.shapes]
z = "1..J"
a = "1..K"
w = "1..J, 1..K"
[scope.domains]
w = "(-oo, oo)"
a = "(-oo, oo)"
[scope.where]
"z_j" = "\\sum_{k} w_{jk} a_k"
'''
    p, steps = steps_of(tmp_path, notes, context)
    assert [s for _, s in steps] == ["definition", "checked by the engine", "checked by the engine"]
    verdicts = [str(verify(c).verdict) for c in p.claims]
    assert verdicts[0] == "proved"
    assert verdicts[1] == "refuted"  # w^T a is not w a


# --- δ-sums and layer-fixed keys -----------------------------------------------------------------------
def test_a_delta_sum_picks_its_index_and_leaves_other_terms_as_sums():
    i, m, q = sp.symbols("i m q", integer=True)
    x = sp.IndexedBase("x")
    s = sp.Sum(x[q] * sp.KroneckerDelta(q, i) + x[q] ** 2, (q, 1, m))
    out = _sum_deltas(s)
    assert out.has(sp.Sum(x[q] ** 2, (q, 1, m)))  # no closed form attempted
    assert out.xreplace({i: 2, m: 5}).doit() == x[2] + sp.Sum(x[q] ** 2, (q, 1, 5)).doit()
    assert out.xreplace({i: 7, m: 5}).doit() == sp.Sum(x[q] ** 2, (q, 1, 5)).doit()  # i outside 1…m


def test_a_where_key_matches_its_own_layer_only():
    a, z = sp.IndexedBase("a"), sp.IndexedBase("z")
    sigma = sp.Function("sigma")
    defs = [(a[j, l], sigma(z[j, l]))]
    e = a[j, l] + a[k, l - 1]
    assert expand_definitions(e, defs, layers=("l",)) == sigma(z[j, l]) + a[k, l - 1]
    assert expand_definitions(e, defs) == sigma(z[j, l]) + sigma(z[k, l - 1])  # without: every layer


def test_inside_an_outer_sum_a_delta_sum_becomes_an_indicator_and_keeps_every_index_bound():
    i, m, p, r, M = sp.symbols("i m p r M", integer=True)
    w, z = sp.IndexedBase("w"), sp.IndexedBase("z")
    inner = sp.Sum(w[p] * sp.KroneckerDelta(i, m + p - 1), (p, 1, r))
    out = sp.Sum(_sum_deltas(inner, step=True), (m, 1, M))
    assert p not in out.free_symbols and not out.has(sp.Piecewise)
    # at i = 3, r = 2, M = 4: m = 2 (p = 2) and m = 3 (p = 1) reach z_3
    assert out.xreplace({i: 3, r: 2, M: 4}).doit() == w[2] + w[1]


# --- a loss over a set, its gradient entry by entry (the perceptron's 2.14–2.16) -------------------
PERCEPTRON = r"""
$$L(\vec{w}, b) = -\sum_{\vec{x_i} \in M} y_i(\vec{w}^{\mathrm{T}} \cdot \vec{x_i} + b)$$

$$\nabla_{\vec{w}} L(\vec{w}, b) = -\sum_{\vec{x_i} \in M} y_i \vec{x_i}$$

$$\nabla_{\vec{w}} L(\vec{w}, b) = -\sum_{\vec{x_i} \in M} \vec{x_i}$$

$$\nabla_b L(\vec{w}, b) = -\sum_{\vec{x_i} \in M} y_i$$

$$\nabla_b L(\vec{w}, b) = -\sum_{\vec{x_i} \in M} y_i b$$
"""
PERCEPTRON_CONTEXT = r'''
[notation]
functions = ["L"]
symbols = ["b"]
entries = ["j"]
words = ["Lwb"]
names = { "L(\\vec{w}, b)" = "Lwb" }
[ranges]
M = "1..m"
j = "1..n"
[shapes]
w = "1..n"
x = "1..n"
[where]
"L(\\vec{w}, b)" = "-\\sum_{\\vec{x_i} \\in M} y_i(\\vec{w}^{\\mathrm{T}} \\cdot \\vec{x_i} + b)"
'''


def test_a_gradient_of_a_loss_over_a_set_is_checked_entry_by_entry(tmp_path):
    p, steps = steps_of(tmp_path, PERCEPTRON, PERCEPTRON_CONTEXT)
    assert [s for _, s in steps] == ["definition"] + ["checked by the engine"] * 4
    verdicts = [str(verify(c).verdict) for c in p.claims]
    assert verdicts == ["proved", "refuted", "proved", "refuted"]  # the y_i dropped, a b added


def test_without_a_model_a_gradient_of_a_defined_loss_is_a_claim_not_a_definition(tmp_path):
    _, steps = steps_of(tmp_path, PERCEPTRON, '[notation]\nfunctions = ["L"]\nsymbols = ["b"]\n')
    assert [s for _, s in steps] == ["definition"] + ["needs context"] * 4


def test_a_derivative_by_an_entry_of_a_vector_written_whole_is_refused(tmp_path):
    # ∂(w^T x)/∂w_j with w whole: SymPy sees no w_j and would answer 0
    from verifier.notes.latex import Conventions, Parser, derivative

    conv = Conventions()
    parser = Parser("", conv, SymbolTable(conv, Scope()))
    w, x, j = sp.Symbol("w"), sp.Symbol("x"), sp.Symbol("j", integer=True)
    with pytest.raises(LatexError, match="whole"):
        derivative(sp.Function("dot")(w, x), sp.IndexedBase(w)[j], parser)
    with pytest.raises(LatexError, match="whole"):
        derivative(w * x, sp.IndexedBase(w)[j], parser)


# --- the full-mode convolution with a kernel turned by 180° (3.14) --------------------------------
FULL = r"""
$$\delta^{l} = \delta^{l+1} * rot180(\mathbf{w}) \otimes \sigma'(\mathbf{z}^{l}). \tag{1}$$

$$\delta^{l} = \delta^{l+1} * \mathbf{w} \otimes \sigma'(\mathbf{z}^{l}). \tag{2}$$

$$\delta^{l} = \delta^{l+1} * rot180(\mathbf{w}). \tag{3}$$
"""
FULL_CONTEXT = r'''
[notation]
functions = ["sigma", "rot"]
words = ["rot"]
opaque = ["ℒ"]
star = "full convolution"
entries = ["i", "j"]
layer_superscripts = ["l"]
layered = ["w", "z", "b", "delta"]
integers = ["i", "j", "m", "n", "p", "q", "r", "c", "M", "N", "l"]
[shapes]
delta = "1..H, 1..W"
z = "1..H, 1..W"
w = "1..r, 1..c"
[domains]
g = "(-oo, oo)"
M = "integer (1, 2)"
N = "integer (1, 2)"
r = "integer (1, 2)"
c = "integer (1, 2)"
i = "integer (1, 3)"
j = "integer (1, 3)"
[support]
w = "1..r, 1..c"
g = "1..M, 1..N"
[where]
"w_{pq}" = "w_{pq}^{l+1}"
"z_{mn}^{l+1}" = "\\sum_{p=1}^{r} \\sum_{q=1}^{c} \\sigma(z_{m+p-1,n+q-1}^{l}) w_{pq}^{l+1} + b^{l+1}"
"\\mathcal{L}" = "\\sum_{m=1}^{M} \\sum_{n=1}^{N} g_{mn} z_{mn}^{l+1}"
"\\delta_{mn}^{l+1}" = "g_{mn}"
"\\delta_{ij}^{l}" = "\\frac{\\partial \\mathcal{L}}{\\partial z_{ij}^{l}}"
'''


def test_the_full_convolution_with_the_turned_kernel_is_proved_and_its_misreadings_refuted(tmp_path):
    p, steps = steps_of(tmp_path, FULL, FULL_CONTEXT)
    assert [s for _, s in steps] == ["checked by the engine"] * 3, p.steps
    results = [verify(c) for c in p.claims]
    assert [str(r.verdict) for r in results] == ["proved", "refuted", "refuted"]  # the kernel not turned; σ' dropped
    assert "exhaustive" in results[0].steps[0].detail and "i = 1…3, j = 1…3" in results[0].steps[0].method


def test_a_free_index_of_a_finite_domain_is_enumerated_only_for_opaque_terms():
    # f(4 − i) = f(i) on i ∈ 1…3 is refuted (at i = 1: f(3) ≠ f(1)); H(i − 3/2) f(i) = f(i) − [i = 1] f(1)
    # is proved by fixing i, each value in turn (no strategy decides the step and the case at once)
    f = sp.Function("f")
    i = sp.Symbol("i", integer=True)
    from verifier import Claim

    assert str(verify(Claim("t", [f(4 - i), f(i)], domain={i: range(1, 4)})).verdict) == "refuted"
    res = verify(Claim("t", [sp.Heaviside(i - sp.Rational(3, 2)) * f(i), f(i) - sp.Piecewise((f(1), sp.Eq(i, 1)), (0, True))],
                       domain={i: range(1, 4)}))
    assert str(res.verdict) == "proved", res.steps
