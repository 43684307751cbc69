"""Backpropagation in a dense network (notes, sections 3.1 and 3.2.1): every line as printed.

Conventions (the notes'): ``weights[l]`` has shape ``(n_l, n_{l-1})`` and its entry ``w_jk``
connects unit k of layer l-1 to unit j of layer l; ``biases[l]`` has shape ``(n_l,)``;
z^l = w^l a^{l-1} + b^l,  a^l = σ(z^l) on every layer including the last;  L = ½‖a^L − y‖²,
summed over the batch. The reference implementation of these formulas — `forward`, `loss`,
`deltas`, `gradients`, `ACTIVATIONS` — is `derivations.reference.dense`, re-exported here.

Symbolic claims: small networks with symbolic weights w^l_{jk}, biases b^l_j and inputs a^0_k
(the notes' 1-based names), the activation σ and the loss L kept *undefined*, as the notes keep
them (derivations/symbolic/dense.py). Each line is compared with sympy.diff of the loss, so
`proved` means: for every differentiable σ and L, at the sizes the claim's scope names.
Which quantities are free: the "define δ" lines take z^l free (BP1 and 3.4 take z^L free, BP2
and 3.5 take z^1 free); the ∂L/∂w^l and ∂L/∂b^l lines take a^{l-1} free (with l = 1: the whole
network as a function of its parameters and its input a^0 — 3.1, 3.2, FC-BP, 3.8).
Numeric claims (at the end): the reference implementation at 300→200→100 against central finite
differences of its loss (the code they run: derivations/checks/backprop.py).
"""
from __future__ import annotations

import sympy as sp

from verifier import Numeric, Step

from ._registry import claim
from .checks import backprop as checks
from .reference.dense import ACTIVATIONS, Forward, deltas, forward, gradients, loss
from .symbolic import sigma
from .symbolic import dense_any as any_width
from .symbolic.dense import DenseNet, arrow, claim_arguments, column, grid, index_text, layer_symbol, network, stack, tag
from .symbolic.dense_any import AnyWidthLayer

__all__ = ["ACTIVATIONS", "Forward", "forward", "loss", "deltas", "gradients"]

_SEC_31, _SEC_321 = "3.1", "3.2.1"
_ANY = "σ and L undefined (every differentiable σ and loss)"


def _register(cid: str, build, *, equation: str, section: str, title: str, scope: str, uses=()) -> None:
    """Declare claim `cid` from build() → (nets, steps[, corrections]) (see claim_arguments)."""
    claim(cid, **claim_arguments(build), equation=equation, section=section, title=title, uses=uses, scope=scope)


# -- 3.1 and 3.2: the forward pass, element form and vector form (the whole network) --------------

def _eq31(sizes, part: str) -> tuple[DenseNet, list]:
    net = network(sizes)
    L = net.L
    ls = range(1, L + 1)

    def elem(l, j):  # Σ_k w^l_{jk} a^{l-1}_k + b^l_j
        return sp.Add(*[net.w[l][j - 1, k - 1] * net.act(l - 1, k) for k in range(1, net.n(l - 1) + 1)]) + net.b[l][j - 1]

    each = lambda f: stack([column(f(l, j) for j in range(1, net.n(l) + 1)) for l in ls])  # noqa: E731
    z_lines = [Step(each(net.zname), latex=r"z_j^l"),
               Step(each(elem), latex=r"\sum_k w_{jk}^l a_k^{l-1} + b_j^l")]
    a_lines = [Step(each(net.act), latex=r"a_j^l"),
               Step(each(lambda l, j: sigma(elem(l, j))), latex=r"\sigma(\sum_k w_{jk}^l a_k^{l-1} + b_j^l)"),
               Step(each(lambda l, j: sigma(net.zname(l, j))), latex=r"\sigma(z_j^l)")]
    return net, {"z": z_lines, "a": a_lines}[part]


def _eq32(sizes, part: str) -> tuple[DenseNet, list]:
    net = network(sizes)
    ls = range(1, net.L + 1)
    vec = lambda f, l: column(f(l, j) for j in range(1, net.n(l) + 1))  # noqa: E731
    wab = lambda l: net.w[l] * vec(net.act, l - 1) + net.b[l]  # noqa: E731  w^l a^{l-1} + b^l
    z_lines = [Step(stack([vec(net.zname, l) for l in ls]), latex=r"\vec{z^l}"),
               Step(stack([wab(l) for l in ls]), latex=r"w^l \vec{a^{l-1}} + \vec{b^l}")]
    a_lines = [Step(stack([vec(net.act, l) for l in ls]), latex=r"\vec{a^l}"),
               Step(stack([wab(l).applyfunc(sigma) for l in ls]), latex=r"\sigma(w^l \vec{a^{l-1}} + \vec{b^l})"),
               Step(stack([vec(net.zname, l).applyfunc(sigma) for l in ls]), latex=r"\sigma(\vec{z^l})")]
    return net, {"z": z_lines, "a": a_lines}[part]


# -- BP1 and 3.4: the output layer, z^L free ------------------------------------------------------

def _bp1(sizes) -> tuple[DenseNet, list]:
    L = len(sizes) - 1
    net = network(sizes, free="z", layer=L)
    js = range(1, net.n(L) + 1)
    da_dz = {j: net.abbr(f"∂a^{L}_{{{j}}}/∂z^{L}_{{{j}}}", lambda j=j: sp.Derivative(sigma(net.zsym[L][j - 1]), net.zsym[L][j - 1])) for j in js}
    return net, [
        Step(column(net.delta(L, j) for j in js), latex=r"\delta_j^L"),
        Step(column(net.delta(L, j, "∂L/∂z") for j in js), latex=r"\frac{\partial L}{\partial z_j^L}"),
        Step(column(net.dL_da(j) * da_dz[j] for j in js), latex=r"\frac{\partial L}{\partial a_j^L} \frac{\partial a_j^L}{\partial z_j^L}"),
        Step(column(net.dL_da(j) * net.sprime(L, j) for j in js), latex=r"\frac{\partial L}{\partial a_j^L} \sigma'(z_j^L)"),
    ]


# -- BP2 and 3.5: δ^l from δ^{l+1}, z^1 free ------------------------------------------------------
# BP2 is encoded at l = 1 with z^1 free and layers 2…L built on it.
#   Line 4 differentiates Σ_j w^{l+1}_{kj} σ(z^l_j) + b^l_k: the summation index j is reused for
#   the free j of ∂/∂z^l_j; it is read as the bound index it is (Σ_i w^{l+1}_{ki} σ(z^l_i)).
#   b^l_k stands where b^{l+1}_k belongs; it is encoded as printed — a symbol that ∂/∂z^l_j
#   treats as a constant — and the engine decides whether that changes the value.
#   Line 5 prints Σ_l where Σ_k is meant. Encoded literally, as a careful reader must take it:
#   l is the summation index, running over the layers the summand exists for (l = 1…L−1:
#   δ^{l+1} needs l + 1 ≤ L), and k, no longer summed, is free — the line must hold for every
#   k. So every line of the claim is a matrix over (j, k) (a line without k repeats along k),
#   k ≤ min(n_2, …, n_L) so that every term of the literal sum exists. At l = 1 every layer
#   that sum reaches lies above z^1, so the z^1-form is exact. The correction is the notes' own
#   FC-BP line: Σ_k δ^{l+1}_k w^{l+1}_{kj} σ'(z^l_j).

def _bp2(sizes) -> tuple[DenseNet, list, dict]:
    net = network(sizes, free="z", layer=1)
    L, l = net.L, 1
    J, K, nk = net.n(1), min(net.n(m) for m in range(2, L + 1)), net.n(2)
    if any(net.n(m) < J for m in range(1, L)):
        raise ValueError(f"{sizes}: the literal Σ_l needs n_l ≥ n_1 on every hidden layer")
    z1 = net.zsym[1]
    dz = {(k, j): net.abbr(f"∂z^2_{{{k}}}/∂z^1_{{{j}}}", lambda k=k, j=j: sp.Derivative(net.zval(2)[k - 1], z1[j - 1]))
          for k in range(1, nk + 1) for j in range(1, J + 1)}

    def printed_dz(k, j):  # ∂(Σ_j w^{l+1}_{kj} σ(z^l_j) + b^l_k)/∂z^l_j, b^l_k as printed
        b_typo = layer_symbol("b", l, k)
        inner = sp.Add(*[net.w[2][k - 1, i - 1] * sigma(z1[i - 1]) for i in range(1, J + 1)]) + b_typo
        return sp.Derivative(inner, z1[j - 1])

    jk = lambda f: grid(J, K, f)  # noqa: E731
    sum_k = lambda f: sp.Add(*[f(k) for k in range(1, nk + 1)])  # noqa: E731
    lines = [
        Step(jk(lambda j, k: net.delta(1, j)), latex=r"\delta_j^l"),
        Step(jk(lambda j, k: net.delta(1, j, "∂L/∂z")), latex=r"\frac{\partial L}{\partial z_j^l}"),
        Step(jk(lambda j, _: sum_k(lambda k: net.delta(2, k, "∂L/∂z") * dz[k, j])),
             latex=r"\sum_k \frac{\partial L}{\partial z_k^{l+1}} \frac{\partial z_k^{l+1}}{\partial z_j^l}"),
        Step(jk(lambda j, _: sum_k(lambda k: net.delta(2, k) * dz[k, j])),
             latex=r"\sum_k \delta_k^{l+1} \frac{\partial z_k^{l+1}}{\partial z_j^l}"),
        Step(jk(lambda j, _: sum_k(lambda k: net.delta(2, k) * printed_dz(k, j))),
             latex=r"\sum_k \delta_k^{l+1} \frac{\partial \sum_j w_{kj}^{l+1} \sigma(z_j^l) + b_k^l}{\partial z_j^l}"),
        Step(jk(lambda j, k: sp.Add(*[net.delta(m + 1, k) * net.w[m + 1][k - 1, j - 1] * net.sprime(m, j) for m in range(1, L)])),
             latex=r"\sum_l \delta_k^{l+1} w_{kj}^{l+1} \sigma'(z_j^l)"),
    ]
    fix = Step(jk(lambda j, _: sum_k(lambda k: net.delta(2, k) * net.w[2][k - 1, j - 1] * net.sprime(1, j))),
               latex=r"\sum_k \delta_k^{l+1} w_{kj}^{l+1} \sigma'(z_j^l)")
    return net, lines, {5: fix}


# -- BP3, BP4, 3.6, 3.7: ∂L/∂w^l and ∂L/∂b^l, a^{l-1} free, every layer ---------------------------
# BP3's middle line differentiates Σ_k w^l_{jk} a^{l-1}_k + b^l_j by w^l_{jk}: the summation
# index k is reused for the free k; read as the bound index it is (Σ_i w^l_{ji} a^{l-1}_i).

def _per_layer(sizes, block) -> tuple[DenseNet, list]:
    """block(net, l) → list of line blocks, for each layer l in its own a-form; lines stacked."""
    nets = [network(sizes, free="a", layer=l) for l in range(1, len(sizes))]
    blocks = [block(net, l) for l, net in enumerate(nets, start=1)]
    lines = []
    for i in range(len(blocks[0])):
        parts = [b[i] for b in blocks]
        latex = parts[0].latex if isinstance(parts[0], Step) else None
        lines.append(Step(stack([p.expr if isinstance(p, Step) else p for p in parts]), latex=latex))
    return nets, lines


def _bp3_block(net: DenseNet, l: int) -> list:
    rows, cols = net.n(l), net.n(l - 1)
    jk = lambda f: grid(rows, cols, f)  # noqa: E731
    dz_dw = lambda j, k: net.abbr(f"∂z^{l}_{{{j}}}/∂w^{l}_{{{index_text(j, k)}}}", lambda: sp.Derivative(net.zval(l)[j - 1], net.w[l][j - 1, k - 1]))  # noqa: E731
    printed = lambda j, k: sp.Derivative(  # noqa: E731
        sp.Add(*[net.w[l][j - 1, i - 1] * net.act(l - 1, i) for i in range(1, cols + 1)]) + net.b[l][j - 1], net.w[l][j - 1, k - 1])
    return [
        Step(jk(lambda j, k: net.dL(net.w[l][j - 1, k - 1])), latex=r"\frac{\partial L}{\partial w_{jk}^l}"),
        Step(jk(lambda j, k: net.delta(l, j, "∂L/∂z") * dz_dw(j, k)), latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial z_j^l}{\partial w_{jk}^l}"),
        Step(jk(lambda j, k: net.delta(l, j, "∂L/∂z") * printed(j, k)),
             latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial \sum_k w_{jk}^l a_k^{l-1} + b_j^l}{\partial w_{jk}^l}"),
        Step(jk(lambda j, k: net.delta(l, j, "∂L/∂z") * net.act(l - 1, k)), latex=r"\frac{\partial L}{\partial z_j^l} a_k^{l-1}"),
        Step(jk(lambda j, k: net.delta(l, j) * net.act(l - 1, k)), latex=r"\delta_j^l a_k^{l-1}"),
    ]


def _bp4_block(net: DenseNet, l: int) -> list:
    js = range(1, net.n(l) + 1)
    each = lambda f: column(f(j) for j in js)  # noqa: E731
    dz_db = lambda j: net.abbr(f"∂z^{l}_{{{j}}}/∂b^{l}_{{{j}}}", lambda: sp.Derivative(net.zval(l)[j - 1], net.b[l][j - 1]))  # noqa: E731
    printed = lambda j: sp.Derivative(  # noqa: E731
        sp.Add(*[net.w[l][j - 1, k - 1] * net.act(l - 1, k) for k in range(1, net.n(l - 1) + 1)]) + net.b[l][j - 1], net.b[l][j - 1])
    return [
        Step(each(lambda j: net.dL(net.b[l][j - 1])), latex=r"\frac{\partial L}{\partial b_j^l}"),
        Step(each(lambda j: net.delta(l, j, "∂L/∂z") * dz_db(j)), latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial z_j^l}{\partial b_j^l}"),
        Step(each(lambda j: net.delta(l, j, "∂L/∂z") * printed(j)),
             latex=r"\frac{\partial L}{\partial z_j^l} \frac{\partial \sum_k w_{jk}^l a_k^{l-1} + b_j^l}{\partial b_j^l}"),
        Step(each(lambda j: net.delta(l, j, "∂L/∂z")), latex=r"\frac{\partial L}{\partial z_j^l}"),
        Step(each(lambda j: net.delta(l, j)), latex=r"\delta_j^l"),
    ]


# 3.6 prints ∂L/∂n^l where ∂L/∂w^l is meant. Encoded as printed: n^l is a matrix of fresh
# variables (the notes define no n^l), and L does not depend on them, so ∂L/∂n^l = 0. Line 0 is
# what 3.6 puts in matrix form: BP3's result δ^l_j a^{l-1}_k (so the wrong line is line 1).
def _eq36_block(net: DenseNet, l: int) -> list:
    rows, cols = net.n(l), net.n(l - 1)
    n_l = grid(rows, cols, lambda j, k: layer_symbol("n", l, j, k))
    delta = column(net.delta(l, j) for j in range(1, rows + 1))
    a_prev = column(net.act(l - 1, k) for k in range(1, cols + 1))
    return [
        Step(grid(rows, cols, lambda j, k: net.delta(l, j) * net.act(l - 1, k)), latex=r"\delta_j^l a_k^{l-1} \ \text{(BP3)}"),
        Step(n_l.applyfunc(net.dL), latex=r"\frac{\partial L}{\partial n^l}"),
        Step(delta * a_prev.T, latex=r"\vec{\delta^l} (\vec{a^{l-1}})^T"),
    ]


def _eq36(sizes) -> tuple[list, list, dict]:
    nets, steps = _per_layer(sizes, _eq36_block)
    fix = Step(stack([net.w[l].applyfunc(net.dL) for l, net in enumerate(nets, start=1)]), latex=r"\frac{\partial L}{\partial w^l}")
    return nets, steps, {1: fix}


# -- the four equations stated on their own: 3.4, 3.5, 3.7 and FC-BP, 3.8 (element / matrix form) --

def _out_eq(sizes, matrix: bool) -> tuple[DenseNet, list]:
    """δ^L = ∂L/∂a^L ⊗ σ'(z^L) (3.4, first line of FC-BP / 3.8), z^L free."""
    L = len(sizes) - 1
    net = network(sizes, free="z", layer=L)
    js = range(1, net.n(L) + 1)
    if matrix:
        rhs = Step(sp.matrix_multiply_elementwise(column(net.dL_da(j) for j in js), column(net.sprime(L, j) for j in js)),
                   latex=r"\nabla_{\vec{a^L}} L \otimes \sigma'(\vec{z^L})")
    else:
        rhs = Step(column(net.dL_da(j) * net.sprime(L, j) for j in js), latex=r"\frac{\partial L}{\partial a_j^L} \sigma'(z_j^L)")
    return net, [Step(column(net.delta(L, j) for j in js), latex=r"\vec{\delta^L}" if matrix else r"\delta_j^L"), rhs]


def _hidden_eq(sizes, matrix: bool) -> tuple[DenseNet, list]:
    """δ^l = ((w^{l+1})^T δ^{l+1}) ⊗ σ'(z^l) (3.5, second line of FC-BP / 3.8) for every hidden l, z^1 free."""
    net = network(sizes, free="z", layer=1)
    hidden = range(1, net.L)
    vec = lambda f, l: column(f(l, j) for j in range(1, net.n(l) + 1))  # noqa: E731
    if matrix:
        rhs = Step(stack([sp.matrix_multiply_elementwise(net.w[l + 1].T * vec(net.delta, l + 1), vec(net.sprime, l)) for l in hidden]),
                   latex=r"((\vec{w^{l+1}})^T \vec{\delta^{l+1}}) \otimes \sigma'(\vec{z^l})")
    else:
        rhs = Step(stack([column(sp.Add(*[net.delta(l + 1, k) * net.w[l + 1][k - 1, j - 1] for k in range(1, net.n(l + 1) + 1)])
                                * net.sprime(l, j) for j in range(1, net.n(l) + 1)) for l in hidden]),
                   latex=r"\sum_k \delta_k^{l+1} w_{kj}^{l+1} \sigma'(z_j^l)")
    return net, [Step(stack([vec(net.delta, l) for l in hidden]), latex=r"\vec{\delta^l}" if matrix else r"\delta_j^l"), rhs]


def _weight_block(matrix: bool):
    """∂L/∂w^l = δ^l (a^{l-1})^T (third line of FC-BP / 3.8), layer l in its a-form."""
    def block(net: DenseNet, l: int) -> list:
        rows, cols = net.n(l), net.n(l - 1)
        if matrix:
            rhs = Step(column(net.delta(l, j) for j in range(1, rows + 1)) * column(net.act(l - 1, k) for k in range(1, cols + 1)).T,
                       latex=r"\vec{\delta^l} (\vec{a^{l-1}})^T")
            return [Step(net.w[l].applyfunc(net.dL), latex=r"\frac{\partial L}{\partial w^l}"), rhs]
        return [Step(grid(rows, cols, lambda j, k: net.dL(net.w[l][j - 1, k - 1])), latex=r"\frac{\partial L}{\partial w_{jk}^l}"),
                Step(grid(rows, cols, lambda j, k: net.delta(l, j) * net.act(l - 1, k)), latex=r"\delta_j^l a_k^{l-1}")]
    return block


def _bias_block(matrix: bool):
    """∂L/∂b^l = δ^l (3.7, fourth line of FC-BP / 3.8), layer l in its a-form."""
    def block(net: DenseNet, l: int) -> list:
        js = range(1, net.n(l) + 1)
        return [Step(column(net.dL(net.b[l][j - 1]) for j in js), latex=r"\frac{\partial L}{\partial \vec{b^l}}" if matrix else r"\frac{\partial L}{\partial b_j^l}"),
                Step(column(net.delta(l, j) for j in js), latex=r"\vec{\delta^l}" if matrix else r"\delta_j^l")]
    return block


# -- the catalogue ----------------------------------------------------------------------------------
# Sizes: two 2-layer shapes and a 3-layer one (for δ^l across layers). BP1/3.4 only see the output
# layer (z^L free), so their second shape widens it instead (3→4→3: n_L = 3).
_TWO_LAYER, _TWO_LAYER_WIDE, _THREE_LAYER, _WIDE_OUTPUT = (2, 3, 2), (3, 4, 2), (2, 3, 3, 2), (3, 4, 3)


def _scope(sizes, how: str) -> str:
    return f"{arrow(sizes)} network, {how}; {_ANY}"


def _out_scope(sizes) -> str:
    return _scope(sizes, f"output layer (n_L = {sizes[-1]}) with z^L free, so any layers below")


_EVERY_LAYER = "every layer l with a^{l-1} free"
_HIDDEN = "every hidden layer l, z^1 free"

for _sz in (_TWO_LAYER, _TWO_LAYER_WIDE):
    _register(f"3.1:z:{tag(_sz)}", lambda: _eq31(_sz, "z"), equation="3.1", section=_SEC_31,
              title="z^l_j = Σ_k w^l_jk a^{l-1}_k + b^l_j (the forward pass, element form)", scope=_scope(_sz, "every l, j"))
    _register(f"3.1:a:{tag(_sz)}", lambda: _eq31(_sz, "a"), equation="3.1", section=_SEC_31,
              title="a^l_j = σ(Σ_k w^l_jk a^{l-1}_k + b^l_j) = σ(z^l_j)", scope=_scope(_sz, "every l, j"))
    _register(f"3.2:z:{tag(_sz)}", lambda: _eq32(_sz, "z"), equation="3.2", section=_SEC_31,
              title="z^l = w^l a^{l-1} + b^l (vector form)", scope=_scope(_sz, "every l"))
    _register(f"3.2:a:{tag(_sz)}", lambda: _eq32(_sz, "a"), equation="3.2", section=_SEC_31,
              title="a^l = σ(w^l a^{l-1} + b^l) = σ(z^l) (vector form)", scope=_scope(_sz, "every l"))

for _sz in (_TWO_LAYER, _WIDE_OUTPUT):
    _register(f"BP1:{tag(_sz)}", lambda: _bp1(_sz), equation="BP1", section=_SEC_31,
              title="δ^L_j = ∂L/∂a^L_j σ'(z^L_j): the error of the output layer", scope=_out_scope(_sz))
    _register(f"3.4:{tag(_sz)}", lambda: _out_eq(_sz, matrix=True), equation="3.4", section=_SEC_31,
              uses=[f"BP1:{tag(_sz)}"], title="δ^L = ∇_a L ⊗ σ'(z^L) (matrix form of BP1)", scope=_out_scope(_sz))

for _sz in (_TWO_LAYER, _TWO_LAYER_WIDE, _THREE_LAYER):
    _register(f"BP2:{tag(_sz)}", lambda: _bp2(_sz), equation="BP2", section=_SEC_31,
              title="δ^l from δ^{l+1}, element form (at l = 1)", scope=_scope(_sz, "l = 1 with z^1 free, every (j, k)"))
    _register(f"3.5:{tag(_sz)}", lambda: _hidden_eq(_sz, matrix=True), equation="3.5", section=_SEC_31,
              uses=[f"BP2:{tag(_sz)}"], title="δ^l = ((w^{l+1})^T δ^{l+1}) ⊗ σ'(z^l) (matrix form of BP2)",
              scope=_scope(_sz, _HIDDEN))

for _sz in (_TWO_LAYER, _TWO_LAYER_WIDE):
    _register(f"BP3:{tag(_sz)}", lambda: _per_layer(_sz, _bp3_block), equation="BP3", section=_SEC_31,
              title="∂L/∂w^l_jk = δ^l_j a^{l-1}_k", scope=_scope(_sz, _EVERY_LAYER + ", every (j, k)"))
    _register(f"3.6:{tag(_sz)}", lambda: _eq36(_sz), equation="3.6", section=_SEC_31, uses=[f"BP3:{tag(_sz)}"],
              title="∂L/∂w^l = δ^l (a^{l-1})^T (matrix form of BP3; printed ∂L/∂n^l)", scope=_scope(_sz, _EVERY_LAYER))
    _register(f"BP4:{tag(_sz)}", lambda: _per_layer(_sz, _bp4_block), equation="BP4", section=_SEC_31,
              title="∂L/∂b^l_j = δ^l_j", scope=_scope(_sz, _EVERY_LAYER + ", every j"))
    _register(f"3.7:{tag(_sz)}", lambda: _per_layer(_sz, _bias_block(matrix=True)), equation="3.7", section=_SEC_31,
              uses=[f"BP4:{tag(_sz)}"], title="∂L/∂b^l = δ^l (matrix form of BP4)", scope=_scope(_sz, _EVERY_LAYER))

# FC-BP and 3.8 restate the four equations (element form, matrix form): one claim per printed line.
for _sz in (_TWO_LAYER, _WIDE_OUTPUT):
    _register(f"FC-BP:1:{tag(_sz)}", lambda: _out_eq(_sz, False), equation="FC-BP", section=_SEC_321,
              title="line 1 of FC-BP: δ^L (element form)", scope=_out_scope(_sz))
for _sz in (_TWO_LAYER, _TWO_LAYER_WIDE, _THREE_LAYER):
    _register(f"FC-BP:2:{tag(_sz)}", lambda: _hidden_eq(_sz, False), equation="FC-BP", section=_SEC_321,
              title="line 2 of FC-BP: δ^l (element form)", scope=_scope(_sz, _HIDDEN))
for _sz in (_TWO_LAYER, _TWO_LAYER_WIDE):
    _register(f"FC-BP:3:{tag(_sz)}", lambda: _per_layer(_sz, _weight_block(False)), equation="FC-BP", section=_SEC_321,
              title="line 3 of FC-BP: ∂L/∂w^l (element form)", scope=_scope(_sz, _EVERY_LAYER))
for _sz in (_TWO_LAYER, _TWO_LAYER_WIDE):
    _register(f"FC-BP:4:{tag(_sz)}", lambda: _per_layer(_sz, _bias_block(False)), equation="FC-BP", section=_SEC_321,
              title="line 4 of FC-BP: ∂L/∂b^l (element form)", scope=_scope(_sz, _EVERY_LAYER))

for _sz in (_TWO_LAYER, _WIDE_OUTPUT):
    _register(f"3.8:1:{tag(_sz)}", lambda: _out_eq(_sz, True), equation="3.8", section=_SEC_321,
              title="line 1 of 3.8: δ^L (matrix form)", scope=_out_scope(_sz))
for _sz in (_TWO_LAYER, _TWO_LAYER_WIDE, _THREE_LAYER):
    _register(f"3.8:2:{tag(_sz)}", lambda: _hidden_eq(_sz, True), equation="3.8", section=_SEC_321,
              title="line 2 of 3.8: δ^l (matrix form)", scope=_scope(_sz, _HIDDEN))
for _sz in (_TWO_LAYER, _TWO_LAYER_WIDE):
    _register(f"3.8:3:{tag(_sz)}", lambda: _per_layer(_sz, _weight_block(True)), equation="3.8", section=_SEC_321,
              title="line 3 of 3.8: ∂L/∂w^l (matrix form)", scope=_scope(_sz, _EVERY_LAYER))
for _sz in (_TWO_LAYER, _TWO_LAYER_WIDE):
    _register(f"3.8:4:{tag(_sz)}", lambda: _per_layer(_sz, _bias_block(True)), equation="3.8", section=_SEC_321,
              title="line 4 of 3.8: ∂L/∂b^l (matrix form)", scope=_scope(_sz, _EVERY_LAYER))

# -- BP1–BP4, 3.4–3.7 for any widths and any layer l (index notation, sums to symbolic widths) -------
# One layer pair l → l+1 with every width symbolic; the free unit index j (k) sits below its width,
# n_l = j + r_j (n_{l−1} = k + r_k) with r ≥ 0; the loss enters through its upstream gradients
# (derivations/symbolic/dense_any.py). The matrix forms are read entry by entry (a product as Σ_k,
# ⊗ entrywise). BP2's printed Σ_l needs the layers above (a depth): its erratum is the sized claims'.
_anywidth = AnyWidthLayer()
_GRAD = "; σ undefined (every differentiable σ), L through its upstream gradients (every differentiable loss)"
_OUT_ANY = "any output width n_L = j + r_j ≥ j, every unit j" + _GRAD
_HIDDEN_ANY = "any widths n_l = j + r_j ≥ j and n_{l+1} ≥ 1, any hidden layer l, every unit j, z^l free" + _GRAD
_LAYER_ANY = "any widths n_l = j + r_j ≥ j and n_{l−1} = k + r_k ≥ k, any layer l, every unit j (and k), a^{l−1} free" + _GRAD
claim("BP1:any", **any_width.bp1(_anywidth), equation="BP1", section=_SEC_31,
      title="δ^L_j = ∂L/∂a^L_j σ'(z^L_j) for any output width", scope=_OUT_ANY)
claim("3.4:any", **any_width.eq34(_anywidth), equation="3.4", section=_SEC_31, uses=["BP1:any"],
      title="δ^L = ∇_a L ⊗ σ'(z^L), entry j, any output width", scope=_OUT_ANY)
claim("BP2:any", **any_width.bp2(_anywidth), equation="BP2", section=_SEC_31,
      title="δ^l_j = Σ_k δ^{l+1}_k w^{l+1}_kj σ'(z^l_j) for any widths (the last line as corrected: Σ_k)", scope=_HIDDEN_ANY)
claim("3.5:any", **any_width.eq35(_anywidth), equation="3.5", section=_SEC_31, uses=["BP2:any"],
      title="δ^l = ((w^{l+1})^T δ^{l+1}) ⊗ σ'(z^l), entry j, any widths", scope=_HIDDEN_ANY)
claim("BP3:any", **any_width.bp3(_anywidth), equation="BP3", section=_SEC_31,
      title="∂L/∂w^l_jk = δ^l_j a^{l-1}_k for any widths", scope=_LAYER_ANY)
claim("3.6:any", **any_width.eq36(_anywidth), equation="3.6", section=_SEC_31, uses=["BP3:any"],
      title="∂L/∂w^l = δ^l (a^{l-1})^T, entry (j, k), any widths (printed ∂L/∂n^l)", scope=_LAYER_ANY)
claim("BP4:any", **any_width.bp4(_anywidth), equation="BP4", section=_SEC_31,
      title="∂L/∂b^l_j = δ^l_j for any widths", scope=_LAYER_ANY)
claim("3.7:any", **any_width.eq37(_anywidth), equation="3.7", section=_SEC_31, uses=["BP4:any"],
      title="∂L/∂b^l = δ^l, entry j, any widths", scope=_LAYER_ANY)
# FC-BP (element form) and 3.8 (matrix form, read entrywise) restate the four equations: one claim
# per printed line, at any widths too.
claim("FC-BP:1:any", **any_width.eq34(_anywidth), equation="FC-BP", section=_SEC_321, uses=["BP1:any"],
      title="line 1 of FC-BP: δ^L (element form), any output width", scope=_OUT_ANY)
claim("FC-BP:2:any", **any_width.eq35(_anywidth), equation="FC-BP", section=_SEC_321, uses=["BP2:any"],
      title="line 2 of FC-BP: δ^l (element form), any widths", scope=_HIDDEN_ANY)
claim("FC-BP:3:any", **any_width.weight(_anywidth), equation="FC-BP", section=_SEC_321, uses=["BP3:any"],
      title="line 3 of FC-BP: ∂L/∂w^l (element form), any widths", scope=_LAYER_ANY)
claim("FC-BP:4:any", **any_width.eq37(_anywidth), equation="FC-BP", section=_SEC_321, uses=["BP4:any"],
      title="line 4 of FC-BP: ∂L/∂b^l (element form), any widths", scope=_LAYER_ANY)
claim("3.8:1:any", **any_width.eq34(_anywidth), equation="3.8", section=_SEC_321, uses=["BP1:any"],
      title="line 1 of 3.8: δ^L (matrix form, read entrywise), any output width", scope=_OUT_ANY)
claim("3.8:2:any", **any_width.eq35(_anywidth), equation="3.8", section=_SEC_321, uses=["BP2:any"],
      title="line 2 of 3.8: δ^l (matrix form, read entrywise), any widths", scope=_HIDDEN_ANY)
claim("3.8:3:any", **any_width.weight(_anywidth), equation="3.8", section=_SEC_321, uses=["BP3:any"],
      title="line 3 of 3.8: ∂L/∂w^l (matrix form, read entrywise), any widths", scope=_LAYER_ANY)
claim("3.8:4:any", **any_width.eq37(_anywidth), equation="3.8", section=_SEC_321, uses=["BP4:any"],
      title="line 4 of 3.8: ∂L/∂b^l (matrix form, read entrywise), any widths", scope=_LAYER_ANY)

# -- numeric claims: the reference implementation at 300→200→100 against central finite differences --
# (steps, tolerances and why a wrong formula cannot pass: derivations/checks/backprop.py)
_NTAG = tag(checks.NUM_SIZES)
_NSCOPE = f"{arrow(checks.NUM_SIZES)} network, batch {checks.BATCH}, float64, seeded random parameters"

claim(f"3.2:oracle:{_NTAG}",
      [Numeric(checks.forward_oracle, label="forward(...) and loss(...): the oracle (3.2, matrix form)"),
       Numeric(checks.forward_element_form, label="z^l_j = Σ_k w^l_jk a^{l-1}_k + b^l_j, a^l_j = σ(z^l_j) (3.1, element form, einsum)"),
       Numeric(checks.forward_stacked, label="_forward_stack (the batched pass the finite differences use)")],
      inputs=checks.inputs_forward, rtol=1e-12, atol=1e-12,  # summation order only: ~1e-15 relative
      equation="3.2", section=_SEC_31, title="the oracle's forward pass is 3.1/3.2 (sigmoid)",
      scope=_NSCOPE + ", sigmoid")
for _act in ("sigmoid", "tanh"):
    claim(f"3.3:oracle:{_act}:{_NTAG}",
          [Numeric(checks.deltas_oracle, label="⟨deltas(...), v⟩ (BP1, BP2 in matrix form)"),
           Numeric(checks.deltas_fd, label="(L(z^l + hv) − L(z^l − hv)) / 2h (3.3: δ^l = ∂L/∂z^l)")],
          inputs=checks.inputs_deltas(_act), rtol=checks.RTOL, atol=checks.ATOL,
          equation="3.3", section=_SEC_31, title=f"the oracle's δ^l is ∂L/∂z^l ({_act})",
          scope=_NSCOPE + f", {_act}, {checks.DIRECTIONS} random unit directions per layer")
    claim(f"3.8:oracle:{_act}:{_NTAG}",
          [Numeric(checks.grad_directional, label="⟨gradients(...), v⟩ (3.8: BP1–BP4, matrix form)"),
           Numeric(checks.fd_directional, label="(L(θ + hv) − L(θ − hv)) / 2h")],
          inputs=checks.inputs_directional(_act), rtol=checks.RTOL, atol=checks.ATOL,
          equation="3.8", section=_SEC_321, title=f"the oracle's gradient is ∇L: directional derivatives ({_act})",
          scope=_NSCOPE + f", {_act}, {checks.DIRECTIONS} random unit directions in all parameters")
    claim(f"3.8:oracle-entries:{_act}:{_NTAG}",
          [Numeric(checks.grad_entries, label="gradients(...) at sampled entries (3.8)"),
           Numeric(checks.fd_entries, label="(L(θ + h e_i) − L(θ − h e_i)) / 2h at the same entries")],
          inputs=checks.inputs_entries(_act), rtol=checks.RTOL, atol=checks.ATOL,
          equation="3.8", section=_SEC_321, title=f"the oracle's gradient is ∇L: sampled entries ({_act})",
          scope=_NSCOPE + f", {_act}, {checks.ENTRIES} random entries of each of w^1, w^2, b^1, b^2")
