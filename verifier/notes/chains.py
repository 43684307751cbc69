"""Chains of the notes → `Claim`s: each member parsed, each checkable run of links one claim.

A link is checkable when both members parsed and its relation is one the engine checks (`=`,
`≤`, `≥`, `<`, `>`, and `≈` when the context names the limit). An update rule `←`, a `≠` and an
`≈` without a limit are reported by kind, never checked as equalities. A run of checkable links
is one claim for the engine, so a wrong line is measured against the last line known to hold.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from ..claim import Claim, Step
from ..errors import ClaimError, UnsafeInputError
from .context import Context, ContextError, Scope, split_premise
from .extract import Chain, chains, extract
from .latex import NAME_COMMAND as _NAME_CMD
from .latex import Conventions, LatexError, Parsed, Parser, expand_definitions
from .probability import bases_of, joint_model, written_as

CHECKED_RELATIONS = {"=": "=", "<=": "<=", ">=": ">=", "<": "<", ">": ">"}
NOT_CHECKED = {
    "←": "an update rule (←), not an equation",
    "≠": "a ≠ statement (an identity checker cannot prove a non-identity of symbols)",
    "≈": "≈ needs context: the symbol that tends to a limit ([limits] in the context)",
    "~": "a distribution statement (~)", "∝": "a proportionality (∝)", "≡": "a definition (≡)",
    "→": "an arrow (→)", "⇒": "an implication (⇒)",
}
# a member that ends in a condition written in prose: "\text{ for discrete variable}", "\text{if x > 0}"
QUALIFIER = re.compile(r"\\(?:text|mbox|textrm)\{\s*((?:for|if|when|where)\b[^{}\\$]*)\}\s*[,.;]?\s*$")
ASSUMPTION = "an assumption the text makes (the context says `assumption = true`), not a claim: not checked"


@dataclass
class Member:
    """One member of a chain: its LaTeX, file line, and the parse (or why there is none)."""

    latex: str
    line: int
    row: tuple[int, int] = (0, 0)  # (block, row): the display line it sits on
    parsed: Parsed | None = None
    cause: str = ""  # the group an unparsed member falls in
    reason: str = ""  # the full message
    qualifier: str = ""  # a trailing prose condition, \text{for discrete variable}: the line holds under it


@dataclass
class NoteStep:
    """One adjacent pair of a chain: where, what, and how it came out."""

    file: str
    line: int  # the file line of the right-hand member
    label: str | None
    section: str | None
    rel: str
    lhs_latex: str
    rhs_latex: str
    qualifier: str = ""  # the condition a member states in prose (\text{for …}): a refutation must honour it
    lhs: str = ""  # parsed, as SymPy text ("" when unparsed)
    rhs: str = ""
    verdict: str = ""  # proved/checked/refuted/inconclusive/error, or "" when not checked
    status: str = ""  # "checked by the engine", "unparsed", "not an equation", "needs context"
    reason: str = ""
    method: str = ""
    claim: str = ""  # the claim id it was checked in
    counterexample: str = ""


@dataclass
class NotesPlan:
    """What the notes hold: members, steps, and the claims the engine will verify."""

    file: str
    chains: list[Chain]
    members: list[list[Member]]
    steps: list[NoteStep]
    claims: list[Claim]
    links: dict[str, list[tuple[int, int]]]  # claim id → (chain-member index k, step position) per line k ≥ 1
    abstract: dict[str, dict[int, tuple[str, ...]]]  # claim id → its link k → the opaque quantities of its two lines
    context: str | None = None
    lines_total: int = 0
    piecewise: list[tuple[int, str]] = field(default_factory=list)
    undeclared: dict[str, dict[int, tuple[str, ...]]] = field(default_factory=dict)  # claim id → link → free names no context entry declares
    premises: dict[str, list[tuple[sp.Expr, str, sp.Expr]]] = field(default_factory=dict)  # claim id → what its passage assumes
    mle: dict[str, Any] = field(default_factory=dict)  # claim id → its passage's estimation model (notes.estimates)


def conventions(scope: Scope) -> Conventions:
    """The parser's conventions from one merged context scope (defaults when the context is empty)."""
    n = scope.notation
    conv = Conventions()
    conv.functions = set(n.get("functions", []))
    conv.symbols = set(n.get("symbols", []))
    conv.words = {"Var"} | set(n.get("words", []))
    conv.label_subscripts = set(n.get("label_subscripts", []))
    conv.layer_superscripts = set(n.get("layer_superscripts", []))
    conv.opaque = set(n.get("opaque", []))
    conv.layered = set(n.get("layered", []))
    conv.star_convolution = n.get("star", "") in ("convolution", "full convolution")
    conv.star_full = n.get("star", "") == "full convolution"
    conv.indicators = set(n.get("indicators", []))
    conv.functions |= conv.indicators  # I(y_i = c_k) is applied to its argument like any function
    if "integers" in n:
        conv.integers = set(n["integers"])
    conv.paren_superscript_index = bool(n.get("paren_superscript_index", True))
    conv.random = set(scope.random)
    conv.little_o = set(n.get("little_o", []))
    conv.ranges = {}
    return conv


class SymbolTable:
    """One Symbol per name within a chain, integer when the context (or the default) says so."""

    def __init__(self, conv: Conventions, scope: Scope) -> None:
        self.conv = conv
        self.scope = scope
        self.table: dict[str, sp.Symbol] = {}
        self.integer_domains = {k for k, v in scope.domains.items() if v.strip().startswith("integer")}
        self.integer_domains |= {m.group(1) for k in self.integer_domains if (m := _ENTRY_KEY.fullmatch(k))}  # "y_i": y's entries

    def __call__(self, name: str) -> sp.Symbol:
        """The Symbol of `name`."""
        if name not in self.table:
            integer = name in self.conv.integers or name in self.integer_domains
            self.table[name] = sp.Symbol(name, integer=True) if integer else sp.Symbol(name)
        return self.table[name]


def _apply_names(latex: str, names: dict[str, str]) -> str:
    """The normalisation pre-pass: declared LaTeX fragments (`S^{2}`) become one name."""
    for fragment in sorted(names, key=len, reverse=True):
        name, _, index = names[fragment].partition("_")  # "Py_i": an entry of the name Py, at i
        latex = latex.replace(fragment, "\\" + _NAME_CMD + "{" + name + "}" + (f"_{{{index}}}" if index else ""))
    return latex


PARSE_SECONDS = 2.0  # per member: a derivative written out through the context's definitions can grow large


def parse_member(latex: str, conv: Conventions, symbols: SymbolTable, names: dict[str, str]) -> Parsed:
    """One member's parse through the whitelist parser (with the context's name fragments), bounded in time."""
    from ..errors import StepTimeout
    from ..timeout import time_limit

    text = _apply_names(latex, names)
    parser = Parser(text, conv, symbols)
    try:
        with time_limit(PARSE_SECONDS):
            parsed = parser.parse()
            if conv.indicators:
                parsed = Parsed(_indicators(parsed.expr, conv.indicators), parsed.abstract)
            return _read_entries(parsed, parser, conv, symbols) if conv.shapes else parsed
    except StepTimeout:
        raise LatexError(f"reading the line took over {PARSE_SECONDS:g} s (a derivative too large to write out)", "",
                         "too costly to read (time limit)") from None


def _indicators(expr: sp.Expr, names: set[str]) -> sp.Expr:
    """I(y_i = c_k) of a declared indicator → the Kronecker δ(y_i, c_k): 1 when the two are equal, else
    0; I(a = b, c = d) → δ(a, b) δ(c, d). Only an indicator of equalities: anything else stays as read."""
    def is_indicator(e: sp.Basic) -> bool:
        return (isinstance(e, AppliedUndef) and type(e).__name__ in names and bool(e.args)
                and all(isinstance(a, AppliedUndef) and type(a).__name__ == "event" and len(a.args) == 2 for a in e.args))

    return expr.replace(is_indicator, lambda e: sp.Mul(*[sp.KroneckerDelta(*a.args) for a in e.args]))


_WHOLE = {"matrix product", "transpose", "convolution *", "∇"}  # opaque only while vectors are read whole


def _entry_reader(conv: Conventions, symbols: SymbolTable, parser: Parser) -> Any:
    """The entry reading of this chain's [shapes] (verifier.notes.entries), its derivatives taken by `parser`."""
    from .entries import EntryReader
    from .latex import derivative

    return EntryReader(conv.shapes, conv.entries, conv.functions, lambda num, var: derivative(num, var, parser), symbols,
                       broadcast=conv.broadcast)


def _read_entries(parsed: Parsed, parser: Parser, conv: Conventions, symbols: SymbolTable) -> Parsed:
    """The member read entry by entry (verifier.notes.entries): its derivatives written out at the entry."""
    if not conv.entries:
        raise LatexError("[shapes] without entry indices", "", "vector notation the entry reading does not cover")
    start = len(parser.abstract)
    expr = _entry_reader(conv, symbols, parser).read(parsed.expr)
    # what was opaque only because it was whole (a matrix product, ∂ℒ/∂b⃗) is now written out; what
    # the entry reading could not write out (∂ℒ/∂b_j without a model) was recorded again
    kept = [a for a in parsed.abstract if a not in _WHOLE and not (a.startswith("∂") and a.split("/∂")[-1] in conv.shapes)]
    # rot180(w), a function the entry reading writes out (w_{r+1-p, c+1-q}): opaque no longer once it is gone
    left = {type(f).__name__ for f in expr.atoms(AppliedUndef)}
    kept = [a for a in kept if not (a in ("rot(…)", "rot180(…)") and not left & {"rot", "rot180"})]
    return Parsed(expr, tuple(dict.fromkeys(kept + parser.abstract[start:])))


def _domain(value: str) -> tuple[bool, tuple[Any, Any]]:
    from ..parse import parse_domain

    sym, bounds = parse_domain("x: " + value.strip())
    return bool(sym.is_integer), bounds


def _range(value: str, symbols: SymbolTable) -> tuple[Any, Any]:
    lo, hi = (v.strip() for v in value.split(".."))
    return tuple(sp.Integer(v) if re.fullmatch(r"-?\d+", v) else sp.oo if v == "oo" else symbols(v) for v in (lo, hi))


def _distribution(value: str, name: str, symbols: SymbolTable) -> Any:
    import verifier

    m = re.fullmatch(r"\s*(\w+)\s*(?:\((.*)\))?\s*", value)
    kind, args = m.group(1), m.group(2)
    if kind == "Generic":
        return verifier.Generic(name)
    params = []
    for a in (args or "").split(","):
        a = a.strip()
        if not a:
            continue
        if re.fullmatch(r"-?\d+(?:/\d+)?", a):
            params.append(sp.Rational(a))
        elif re.fullmatch(r"[A-Za-z]\w*", a):
            params.append(symbols(a))
        else:
            raise ContextError(f"distribution {value!r} of {name}: parameter {a!r} is not a name or a number", 'e.g. "Bernoulli(p)"')
    return getattr(verifier, kind)(*params)


def plan(path: Path, context: Context, claim_prefix: str | None = None) -> NotesPlan:
    """Extract, parse and turn the notes into claims (nothing is verified yet)."""
    text = path.read_text(encoding="utf-8")
    blocks = extract(text)
    found = chains(blocks)
    stem = claim_prefix or path.stem[:12]
    members_all: list[list[Member]] = []
    steps: list[NoteStep] = []
    claims: list[Claim] = []
    links: dict[str, list[tuple[int, int]]] = {}
    abstract: dict[str, dict[int, tuple[str, ...]]] = {}
    piecewise: list[tuple[int, str]] = []
    undeclared: dict[str, dict[int, tuple[str, ...]]] = {}
    premises: dict[str, list[tuple[sp.Expr, str, sp.Expr]]] = {}  # claim id → its passage's premises, read as its lines are
    mle: dict[str, Any] = {}  # claim id → the estimation model of its passage (notes.estimates.Model)
    lines_total = 0
    # names (and index counts) lines have defined so far, with the file line: a later line whose left
    # side restates one (BP1 in FC-BP, δ⃗^L for δ_j^L) is a claim, checked or "needs context"
    defined: dict[tuple[str, int], int] = {}
    for chain in found:
        if chain.piecewise:
            piecewise.append((chain.lines[0], " ".join(chain.members)))
            members_all.append([])
            continue
        scope = context.for_chain(chain.section, chain.label, chain.rows[0][1] + 1 if chain.rows else None)
        conv = conventions(scope)
        symbols = SymbolTable(conv, scope)
        conv.ranges = {}
        for name, value in scope.ranges.items():
            conv.ranges[name] = _range(value, symbols)
        if scope.notation.get("average"):
            from .context import AVERAGE
            i, lo, hi = AVERAGE.fullmatch(scope.notation["average"]).groups()
            conv.average = (symbols(i), *_range(f"{lo}..{hi}", symbols))
        names = dict(scope.notation.get("names", {}))
        try:
            # the definitions are read first, whole (their keys are entries: z_j^l), then vectors by entry
            conv.definitions = _definitions(scope, conv, symbols, names)
            conv.shapes = {name: [_range(part, symbols) for part in value.split(",")] for name, value in scope.shapes.items()}
            conv.entries = tuple(symbols(n) for n in scope.notation.get("entries", []))
            conv.broadcast = bool(scope.notation.get("broadcast", False))
            if conv.shapes and conv.entries:
                conv.definitions = _definitions_by_entry(conv, symbols)
        except (LatexError, ContextError) as exc:
            raise ContextError(f"{context.path}: a [where] entry does not parse: {getattr(exc, 'problem', exc)}",
                               "write the definition in the LaTeX the reader knows") from None
        members: list[Member] = []
        for latex, line, row in zip(chain.members, chain.lines, chain.rows):
            m = Member(latex, line, row)
            body = latex
            if (q := QUALIFIER.search(latex)) is not None:  # "… \text{ for discrete variable}": a condition, not prose to read
                m.qualifier, body = " ".join(q.group(1).split()), latex[:q.start()]
            if not body.strip():
                m.cause, m.reason = "empty member", "an empty side of a relation"
            else:
                try:
                    m.parsed = parse_member(body, conv, symbols, names)
                except LatexError as exc:
                    m.cause, m.reason = exc.cause, exc.problem
                except (UnsafeInputError, RecursionError, ValueError, TypeError, AttributeError, IndexError) as exc:
                    m.cause, m.reason = "refused by the parser", f"{type(exc).__name__}: {exc}"
            members.append(m)
        members_all.append(members)
        lines_total += len({line for line in chain.lines})
        chain_premises = _premises(scope, conv, symbols, names, context.path)
        chain_mle = _mle(scope, conv, symbols, names, context.path)
        # each link of the chain
        chain_steps: list[NoteStep] = []
        for k, link in enumerate(chain.rels, 1):
            a, b = members[k - 1], members[k]
            st = NoteStep(str(path), b.line, chain.label, chain.section, link.rel, a.latex, b.latex,
                          lhs=str(a.parsed.expr) if a.parsed else "", rhs=str(b.parsed.expr) if b.parsed else "")
            st.qualifier = " / ".join(dict.fromkeys(q for q in (a.qualifier, b.qualifier) if q))
            if scope.assumption:
                st.status, st.reason = "assumption", ASSUMPTION
            elif a.qualifier and b.qualifier and a.qualifier != b.qualifier and a.parsed and b.parsed:
                st.status, st.reason = "not an equation", (f"two cases of one definition ({a.qualifier!r} / {b.qualifier!r}),"
                                                            " not an equality")
            elif not (a.parsed and b.parsed):
                bad = b if not b.parsed else a
                st.status, st.reason = "unparsed", f"{'right' if bad is b else 'left'} side unparsed: {bad.cause}"
            elif link.rel == "≈" and not _limit_for(scope, a, b, symbols, conv):
                st.status, st.reason = "needs context", NOT_CHECKED["≈"]
            elif link.rel not in CHECKED_RELATIONS and link.rel != "≈":
                st.status, st.reason = "not an equation", NOT_CHECKED.get(link.rel, f"relation {link.rel}")
            elif (k == 1 and _head(a) not in _defined_heads(conv) and _is_definition(a, scope, symbols)
                  and (earlier := _restated(a, defined)) is not None):
                # an earlier line defined this name: this line states something about it (a theorem
                # such as BP1 restated in FC-BP), never a definition; without the definition and a
                # model in the context it cannot be checked, and silence would let a wrong line through
                st.status, st.reason = "needs context", (
                    f"restates {earlier[0]}, which line {earlier[1]} defines: a claim, not a definition; give its"
                    " definition and a model under [where] (scoped to this label) to check it")
            elif (k == 1 and _head(a) not in _defined_heads(conv) and not _is_definition(a, scope, symbols)
                  and _defines_function(a, b, conv) and (earlier := _applied_before(a, b, conv, defined)) is not None):
                # min L(w, b), ∇_w L(w, b) after a line defined L(w, b): a statement about L, never a
                # definition (a wrong gradient would otherwise pass unchecked)
                st.status, st.reason = "needs context", (
                    f"states something about {earlier[0]}, which line {earlier[1]} defines: a claim, not a definition;"
                    " give its definition and a model under [where] (scoped to this label) to check it")
            elif k == 1 and _head(a) not in _defined_heads(conv) and (_is_definition(a, scope, symbols) or _defines_function(a, b, conv)):
                st.status, st.reason = "definition", "the left side is a name this line defines (declare it under [where] to check the line)"
                defined.setdefault(_name_of(a), a.line)
            elif k == 1 and (a.parsed.expr, b.parsed.expr) in conv.definitions and _name_of(a) not in defined:
                # the line the context's definition is taken from: checked against itself it would decide nothing
                st.status, st.reason = "definition", "the line that defines the name (the context's [where] entry is this line)"
                defined.setdefault(_name_of(a), a.line)
            else:
                st.status = "checked by the engine"
            chain_steps.append(st)
        steps.extend(chain_steps)
        # runs of checkable links → claims
        k = 1
        while k <= len(chain.rels):
            if chain_steps[k - 1].status != "checked by the engine":
                k += 1
                continue
            start = k - 1
            end = k
            while end + 1 <= len(chain.rels) and chain_steps[end].status == "checked by the engine":
                end += 1
            cid = f"{stem}:{chain.lines[start]}" + (f".{start}" if start else "")
            while cid in links:  # several chains on one file line (a cases block): keep ids unique
                cid += "'"
            try:
                claim = _claim(cid, chain, members[start:end + 1], chain.rels[start:end], scope, symbols, conv, names, path, undeclared,
                               chain_premises, premises, chain_mle, mle)
            except (ClaimError, ContextError, LatexError, UnsafeInputError) as exc:
                for q in range(start + 1, end + 1):
                    chain_steps[q - 1].status = "needs context"
                    chain_steps[q - 1].reason = f"the claim could not be built: {getattr(exc, 'problem', str(exc))}"
                k = end + 1
                continue
            claims.append(claim)
            base = len(steps) - len(chain_steps)
            links[cid] = [(q - start, base + q - 1) for q in range(start + 1, end + 1)]
            # per link: an opaque P(…) on line 0 says nothing about the link between lines 1 and 2
            abstract[cid] = {q - start: tuple(dict.fromkeys(x for m in members[q - 1:q + 1] for x in (m.parsed.abstract if m.parsed else ())))
                             for q in range(start + 1, end + 1)}
            for q in range(start + 1, end + 1):
                chain_steps[q - 1].claim = cid
            k = end + 1
    return NotesPlan(str(path), found, members_all, steps, claims, links, abstract, context.path, lines_total, piecewise, undeclared,
                     premises, mle)


def _discrete_expectations(expr: sp.Expr, values: dict[str, str], symbols: SymbolTable) -> sp.Expr:
    """Σ_{i=lo}^{hi} h(X_i) P(X_i) → E[h(X)] for a discrete X whose values are X_lo … X_hi: the
    definition of the expectation of h(X). Only a sum that is exactly that — one factor P(X_i), and
    i nowhere else once X_i is read as X — is rewritten; anything else stays as printed."""
    from ..randvars import E
    from .context import AVERAGE

    rules = {}
    for name, spec in values.items():
        idx, lo, hi = AVERAGE.fullmatch(spec).groups()
        rules[symbols(name)] = (symbols(idx), *_range(f"{lo}..{hi}", symbols))

    def rewrite(e: sp.Sum) -> sp.Expr:
        (i, lo, hi), = e.limits
        for x, (_, vlo, vhi) in rules.items():
            value = sp.Indexed(sp.IndexedBase(x), i)
            prob = [f for f in sp.Mul.make_args(e.function) if isinstance(f, AppliedUndef) and type(f).__name__ == "Pr" and f.args == (value,)]
            if len(prob) != 1 or (lo, hi) != (vlo, vhi):
                continue
            h = (e.function / prob[0]).xreplace({value: x})
            if i in h.free_symbols or any(isinstance(a, sp.Indexed) and a.base.label == x for a in sp.preorder_traversal(h)):
                continue
            return E(h)
        return e

    return expr.replace(lambda e: isinstance(e, sp.Sum) and len(e.limits) == 1, rewrite)


def _mle(scope: Scope, conv: Conventions, symbols: SymbolTable, names: dict[str, str], where: str | None) -> tuple | None:
    """The scope's estimation model, parsed: ((parameter, likelihood), (data, N), (classes, k, K)), or None."""
    if not scope.mle:
        return None
    from .context import NAMED_RANGE

    try:
        param, lik = (parse_member(scope.mle[key], conv, symbols, names) for key in ("parameter", "likelihood"))
    except (LatexError, UnsafeInputError) as exc:
        raise ContextError(f"{where}: the [mle] parameter or likelihood does not parse: {getattr(exc, 'problem', exc)}",
                           "write them in the LaTeX of the notes") from None
    data, _, count = NAMED_RANGE.fullmatch(scope.mle["data"]).groups()
    classes, index, size = NAMED_RANGE.fullmatch(scope.mle["classes"]).groups()
    return (param, lik), (data, symbols(count)), (classes, symbols(index), symbols(size))


def _premises(scope: Scope, conv: Conventions, symbols: SymbolTable, names: dict[str, str],
              where: str | None) -> list[tuple[sp.Expr, str, sp.Expr]]:
    """The scope's premises, parsed: (lhs, "=" or "≠", rhs) each (each claim then reads them as its lines)."""
    out = []
    for text in scope.premises:
        left, rel, right = split_premise(text)
        try:
            lhs, rhs = (parse_member(part, conv, symbols, names) for part in (left, right))
        except (LatexError, UnsafeInputError) as exc:
            raise ContextError(f"{where}: the premise {text!r} does not parse: {getattr(exc, 'problem', exc)}",
                               "write the premise in the LaTeX of the notes, one relation (= or \\neq)") from None
        out.append((lhs, rel, rhs))
    return out


def _rename_bound(expr: sp.Expr, free: set[sp.Basic]) -> sp.Expr:
    """expr with each Sum/Product index that is also free in the claim renamed (k → k′)."""
    def fix(e: sp.Basic) -> sp.Basic:
        clash = [v for v in e.variables if v in free]
        return e.xreplace({v: sp.Symbol(v.name + "′", **v.assumptions0) for v in clash}) if clash else e

    return expr.replace(lambda e: isinstance(e, (sp.Sum, sp.Product)) and any(v in free for v in e.variables), fix)


def _safe(name: str) -> str:
    """A function name that no SymPy or mpmath name shadows (a function N, beta or gamma breaks evaluation)."""
    import mpmath

    return name + "_" if hasattr(sp, name) or hasattr(mpmath, name) or name in ("P", "E", "Var") else name


def _definitions(scope: Scope, conv: Conventions, symbols: SymbolTable, names: dict[str, str]) -> list[tuple[sp.Expr, sp.Expr]]:
    """The context's [where] entries as (name, value) pairs, parsed in this chain's symbols, in order:
    a later value may use an earlier name (and a derivative in a value uses the earlier ones)."""
    out: list[tuple[sp.Expr, sp.Expr]] = []
    for key, value in scope.where.items():
        k = parse_member(key, conv, symbols, names).expr
        if not (isinstance(k, sp.Symbol) or isinstance(k, sp.Indexed) and any(isinstance(i, sp.Symbol) for i in k.indices)):
            raise ContextError(f"[where] key {key!r} is not a name or an indexed name (y_i)", 'e.g. "y_i" = "\\gamma \\hat{x}_i + \\beta"')
        conv.definitions = list(out)
        out.append((k, parse_member(value, conv, symbols, names).expr))
    return out


def _definitions_by_entry(conv: Conventions, symbols: SymbolTable) -> list[tuple[sp.Expr, sp.Expr]]:
    """The definitions of numbers that hold whole vectors (L(w, b) = −Σ y_i (w^T x_i + b)) written by
    their entries, so that a derivative by an entry (∂L/∂w_j) sees them; any other kept as read."""
    reader = _entry_reader(conv, symbols, Parser("", conv, symbols))
    out = []
    for key, value in conv.definitions:
        try:
            if reader.rank(value) == 0:
                value = reader.scalar(value)
        except LatexError:
            pass  # read whole; a derivative through it is refused (latex.derivative), never taken as 0
        out.append((key, value))
    return out


_OPERATORS = {"min", "max", "argmin", "argmax", "grad"}  # min_w L(w): an operator applied to a name, no name of its own


def _is_definition(m: Member, scope: Scope, symbols: SymbolTable) -> bool:
    """The chain opens with a bare name (δ_j^l, y, BN(X)) that no context entry gives a meaning."""
    if "\\partial" in m.latex:  # a derivative the context lets the parser compute (∂ℒ/∂b_j^l → δ_j^l) is not a name
        return False
    e = m.parsed.expr
    if _is_probability(m):
        return False
    head = e.base.label if isinstance(e, sp.Indexed) else e if isinstance(e, sp.Symbol) else None
    if (isinstance(e, AppliedUndef) and all(isinstance(a, (sp.Symbol, sp.Indexed)) for a in e.args) and not type(e).__name__.startswith("∂")
            and type(e).__name__ not in _OPERATORS):
        return True
    if head is None:
        return False
    name = head.name
    return name not in scope.random and symbols(name) not in _where_keys(scope, symbols)


def _is_probability(m: Member) -> bool:
    """The member is an opaque probability P(θ | x), P_tr(x, y) as the parser reads one: a value the
    model fixes, never a name a line defines. A line that opens with one states something (Bayes'
    rule, the product rule): a claim, undecided without a model — not a definition that would let
    a wrong Bayes' rule pass unseen."""
    e = m.parsed.expr
    if not isinstance(e, AppliedUndef):
        return False
    base = written_as(type(e).__name__)  # P(k; n, p) and P_k(x) too: P_with2, P_idx
    return base is not None and f"{base}(…)" in m.parsed.abstract


def _name_of(m: Member) -> tuple[str, int]:
    """The name a member stands for and its number of indices (δ_j^l → ("delta", 2))."""
    e = m.parsed.expr
    return (_head(m) or str(e), len(e.indices) if isinstance(e, sp.Indexed) else 0)


_VECTOR_FORM = re.compile(r"\\(vec|overrightarrow|boldsymbol|mathbf|bm)\b")  # δ⃗^l, w^l in bold: the vector or matrix of a name


def _restated(m: Member, defined: dict[tuple[str, int], int]) -> tuple[str, int] | None:
    """(name, line) when an earlier line defined the name `m` opens with: the same name with as many
    indices (δ_j^L after δ_j^l), or its vector or matrix form (δ⃗^L, δ^l: fewer indices, or written
    as a vector) after its entries; None for a name no line has defined yet (z_ij^l after z_j^l has
    more indices: a new quantity, the convolution's)."""
    name, count = _name_of(m)
    if (name, count) in defined:
        return _shown(m), defined[(name, count)]
    if not _head(m):
        return None
    same = {c: line for (n, c), line in defined.items() if n == name}
    if same and (count < max(same) or _VECTOR_FORM.search(m.latex)):
        return _shown(m), max(same.values())  # the latest: the conv layer's δ_ij^l, not the dense one
    return None


def _shown(m: Member) -> str:
    """A member's name as the report shows it: its LaTeX, trimmed."""
    text = " ".join(m.latex.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _head(m: Member) -> str:
    e = m.parsed.expr
    return str(e.base.label) if isinstance(e, sp.Indexed) else str(e) if isinstance(e, sp.Symbol) else ""


def _defined_heads(conv: Conventions) -> set[str]:
    return {str(k.base.label) if isinstance(k, sp.Indexed) else str(k) for k, _ in conv.definitions}


def _defines_function(a: Member, b: Member, conv: Conventions) -> bool:
    """`ln L(θ, λ) = …`: the left applies a declared function the right never mentions, so the line defines it."""
    left = {type(f).__name__ for f in a.parsed.expr.atoms(AppliedUndef)} & (conv.functions - conv.little_o)  # a remainder o(ρ) is never defined
    right = {type(f).__name__ for f in b.parsed.expr.atoms(AppliedUndef)}
    return bool(left) and not (left & right)


def _applied_before(a: Member, b: Member, conv: Conventions, defined: dict[tuple[str, int], int]) -> tuple[str, int] | None:
    """(application, line) when the left applies a declared function, absent on the right, to the very
    arguments an earlier line defined it with (L(w, b) after `L(w, b) = …`); None otherwise (L(θ_k)
    after L(θ^k; y) is another application: a definition of its own)."""
    right = {type(f).__name__ for f in b.parsed.expr.atoms(AppliedUndef)}
    for f in sorted(a.parsed.expr.atoms(AppliedUndef), key=str):
        name = type(f).__name__
        if name in conv.functions and name not in right and (str(f), 0) in defined:
            return str(f), defined[(str(f), 0)]
    return None


def _where_keys(scope: Scope, symbols: SymbolTable) -> set[sp.Symbol]:
    keys = set()
    for key in scope.where:
        try:
            k = Parser(_apply_names(key, dict(scope.notation.get("names", {}))), conventions(scope), symbols).parse().expr
        except LatexError:
            continue
        if isinstance(k, sp.Symbol):
            keys.add(k)
    return keys


def _zero_outside(expr: sp.Expr, support: dict[str, str], symbols: SymbolTable) -> sp.Expr:
    """expr with each entry of a name in `support` (w_{pq}^l) times the indicator of 1 ≤ p ≤ r, 1 ≤ q ≤ c:
    one range per leading index; later indices (the layer) are free.

    The indices are integers, so lo ≤ p ≤ hi is H(p − lo + ½)·H(hi − p + ½) with H the Heaviside
    step, never evaluated at its jump. Not a Piecewise: SymPy's piecewise_fold lifts a Piecewise out
    of a Sum with its condition on the summation index, which would free a bound p."""
    ranges = {symbols(name): [_range(part, symbols) for part in value.split(",")] for name, value in support.items()}

    def wrap(e: sp.Indexed) -> sp.Expr:
        bounds = ranges[e.base.label]
        if len(e.indices) < len(bounds):
            raise ContextError(f"[support] {e.base.label} gives {len(bounds)} ranges but {e} has {len(e.indices)} indices",
                               "give one range per index the name's entries are 0 outside of")
        if not all(i.is_integer for i in e.indices[:len(bounds)]):  # H(½ + …) is an exact indicator for integers only
            raise ContextError(f"[support] {e.base.label}: the index of {e} is not an integer",
                               "declare the index an integer (integers = [...] under [notation])")
        half = sp.Rational(1, 2)
        return e * sp.Mul(*[sp.Heaviside(i - lo + half) * sp.Heaviside(hi - i + half) for i, (lo, hi) in zip(e.indices, bounds)])

    return expr.replace(lambda e: isinstance(e, sp.Indexed) and e.base.label in ranges, wrap)


_ENTRY_KEY = re.compile(r"([A-Za-z][A-Za-z0-9]*)_\{?([A-Za-z][A-Za-z0-9]*)\}?")  # "theta_k": the entries of theta


def _data_domains(scope: Scope, symbols: SymbolTable, rename: dict) -> dict[sp.Symbol, tuple[bool, tuple[Any, Any]]]:
    """The labels whose entries [domains] declares (`"N_k" = "integer (0, oo)"`), with that domain;
    a name a [where] entry defines as a sum of its entries (N = Σ_k N_k) has its entries renamed."""
    out = {}
    for key, value in scope.domains.items():
        m = _ENTRY_KEY.fullmatch(key)
        if m:
            label = symbols(m.group(1))
            out[rename.get(label, label)] = _domain(value)
    return out


def _limit_for(scope: Scope, a: Member, b: Member, symbols: SymbolTable, conv: Conventions | None = None) -> tuple | None:
    if not (a.parsed and b.parsed):
        return None
    names = a.parsed.expr.free_symbols | b.parsed.expr.free_symbols
    for key, value in (conv.definitions if conv else []):  # ΔL ≈ …, with ΔL = … + o(ρ) under [where]
        if isinstance(key, sp.Symbol) and key in names:
            names |= value.free_symbols
    for name, value in scope.limits.items():
        sym = symbols(name)
        if sym in names:
            v = value.strip()
            side = "+" if v.endswith("+") else "-" if v.endswith("-") and len(v) > 1 and v[-2] != " " and v not in ("-oo",) else None
            point = sp.oo if v.rstrip("+-").strip() in ("oo",) else sp.Integer(0)
            return (sym, point, side) if side else (sym, point)
    return None


def _claim(cid: str, chain: Chain, members: list[Member], rels: list, scope: Scope, symbols: SymbolTable,
           conv: Conventions, names: dict[str, str], path: Path, undeclared: dict[str, dict[int, tuple[str, ...]]],
           premises: list[tuple[Parsed, str, Parsed]] = (), premise_forms: dict | None = None,
           mle_in: tuple | None = None, mle_forms: dict | None = None) -> Claim:
    steps = []
    for i, m in enumerate(members):
        if i == 0:
            steps.append(Step(m.parsed.expr, latex=m.latex))
            continue
        rel = rels[i - 1].rel
        if rel == "≈":
            lim = _limit_for(scope, members[i - 1], m, symbols, conv)
            steps.append(Step(m.parsed.expr, rel="≈", limit=lim, latex=m.latex))
        else:
            steps.append(Step(m.parsed.expr, rel=CHECKED_RELATIONS[rel], latex=m.latex))
    if scope.notation.get("values"):  # a discrete X with values X_1 … X_n: Σ h(X_i) P(X_i) is E[h(X)]
        steps = [Step(_discrete_expectations(s.expr, scope.notation["values"], symbols), rel=s.rel, latex=s.latex, limit=s.limit)
                 for s in steps]
    where: dict[sp.Symbol, sp.Expr] = {}
    indexed_defs = []
    for k, v in conv.definitions:
        if isinstance(k, sp.Symbol):
            where[k] = v
        else:
            indexed_defs.append((k, v))
    if indexed_defs:  # y_i = γ x̂_i + β: written out in the lines (the engine's where takes names only)
        layers = conv.layer_superscripts
        steps = [Step(expand_definitions(s.expr, indexed_defs, layers=layers), rel=s.rel, latex=s.latex, limit=s.limit) for s in steps]
        where = {k: expand_definitions(v, indexed_defs, layers=layers) for k, v in where.items()}
    # X = Σ X_i: the sum X and its terms X_i are different objects that share a letter; the terms
    # get a base of their own (X_i → Xᵢ[i]) so the abbreviation is not a cycle
    rename = {k: sp.Symbol(k.name + "ᵢ", **k.assumptions0) for k, v in where.items()
              if any(isinstance(a, sp.Indexed) and a.base.label == k for a in sp.preorder_traversal(v))}
    if rename:
        relabel = lambda e: e.replace(lambda x: isinstance(x, sp.Indexed) and x.base.label in rename,
                                      lambda x: sp.Indexed(sp.IndexedBase(rename[x.base.label]), *x.indices))
        steps = [Step(relabel(s.expr), rel=s.rel, latex=s.latex, limit=s.limit) for s in steps]
        where = {k: relabel(v) for k, v in where.items()}
    if scope.support:  # w_pq with (p, q) outside the kernel is 0: the zero padding the context declares
        steps = [Step(_zero_outside(s.expr, scope.support, symbols), rel=s.rel, latex=s.latex, limit=s.limit) for s in steps]
        where = {k: _zero_outside(v, scope.support, symbols) for k, v in where.items()}
        # one form for what the padding and the δ-sums write twice: H² = H (never at its jump), and
        # σ'(z) as σ' at the point z on both sides of a link
        from .latex import _at_point
        tidy = lambda e: e.replace(lambda x: isinstance(x, sp.Pow) and isinstance(x.base, sp.Heaviside) and x.exp.is_positive, lambda x: x.base).replace(
            lambda x: isinstance(x, sp.Derivative) and len(x.variables) == 1 and isinstance(x.variables[0], sp.Indexed), _at_point)
        steps = [Step(tidy(s.expr), rel=s.rel, latex=s.latex, limit=s.limit) for s in steps]
        where = {k: tidy(v) for k, v in where.items()}
    # a summation index that is also free elsewhere (Σ_k θ_k beside a free θ_k) is renamed k → k′:
    # the same sum, and the engine never confuses the two
    free_all = set().union(*(s.expr.free_symbols for s in steps))
    steps = [Step(_rename_bound(s.expr, free_all), rel=s.rel, latex=s.latex, limit=s.limit) for s in steps]
    scope_text = ""
    if scope.notation.get("member"):
        # x̂_i with i free names one member of a family the lines treat alike (a batch): checked at
        # that member, so that a witness is a real family — with i a symbol of its own, x_i would be
        # a value beside x_1 … x_m, which no batch has. The bound indices that clash were renamed
        # just above, so only the free i is replaced.
        from .context import MEMBER

        name, value = MEMBER.fullmatch(scope.notation["member"]).groups()
        rule = {symbols(name): sp.Integer(int(value))}
        if any(symbols(name) in s.expr.free_symbols for s in steps):
            steps = [Step(s.expr.xreplace(rule), rel=s.rel, latex=s.latex, limit=s.limit) for s in steps]
            scope_text = f"at {name} = {value} (one member of a family the lines treat alike)"
    random: dict[Any, Any] = {}
    for name, value in scope.random.items():
        copies_only = name.endswith("_i")  # "X_i": only the iid copies X_1, X_2, … are random
        sym = symbols(name.removesuffix("_i"))
        if sym in rename:
            sym = rename[sym]
        dist = _distribution(value, name.removesuffix("_i"), symbols)
        if not copies_only:
            random[sym] = dist
        random[sp.IndexedBase(sym)] = dist
    # keep only the random variables the lines use (a Generic of an unused X is noise)
    used: set[Any] = set()
    for s in steps + [Step(v) for v in where.values()]:
        used |= s.expr.free_symbols
    random = {v: d for v, d in random.items() if (v if isinstance(v, sp.Symbol) else v.label) in used}
    # an indexed quantity that is not random (w_{jk}^l, θ_k) is an arbitrary function of its indices:
    # the engine reads IndexedBase as iid random copies, so it is handed an undefined function instead
    random_bases = {v for v in random if isinstance(v, sp.IndexedBase)}
    # entries declared with a domain of their own ("theta_k" = "(0, 1)" under [domains]) are data:
    # each entry a value in that domain (θ_1, θ_2 at the sizes the engine tries), so they stay entries
    data = _data_domains(scope, symbols, rename)
    random_bases |= {sp.IndexedBase(label) for label in data}
    to_function = lambda e: e.replace(lambda x: isinstance(x, sp.Indexed) and x.base not in random_bases,
                                      lambda x: sp.Function(_safe(str(x.base.label)))(*x.indices))
    steps = [Step(to_function(s.expr), rel=s.rel, latex=s.latex, limit=s.limit) for s in steps]
    where = {k: to_function(v) for k, v in where.items()}
    # opaque probabilities read as distributions (notes.probability): P(A|B) = P(A, B)/P(B), a joint
    # one value of its set of events — a proof there holds for every distribution
    bases = set().union(*(bases_of(m.parsed.abstract) for m in members if m.parsed),
                        *(bases_of(p.abstract) for a, _, b in premises for p in (a, b)))
    if bases:
        steps = [Step(joint_model(s.expr, bases), rel=s.rel, latex=s.latex, limit=s.limit) for s in steps]
        where = {k: joint_model(v, bases) for k, v in where.items()}
    if premises and premise_forms is not None:  # what the passage assumes, read as its lines are
        premise_forms[cid] = [(joint_model(to_function(a.expr), bases), r, joint_model(to_function(b.expr), bases)) for a, r, b in premises]
    if mle_in and mle_forms is not None:  # an estimation passage: its parameter and likelihood, read as the lines are
        from .estimates import Model

        (param, lik), (data_name, count), (classes, index, size) = mle_in
        read = lambda e: joint_model(to_function(e), bases | bases_of(param.abstract) | bases_of(lik.abstract))
        mle_forms[cid] = Model(read(param.expr), read(lik.expr), classes, data_name, index, count, size)
    used = set()
    for s in steps + [Step(v) for v in where.values()]:
        used |= s.expr.free_symbols
    for d in random.values():
        for par in getattr(d, "params", ()) or ():
            used |= getattr(par, "free_symbols", set())
    domain: dict[sp.Symbol, Any] = {}
    declared = {symbols(n): _domain(v) for n, v in scope.domains.items() if not _ENTRY_KEY.fullmatch(n)} | data
    random_names = {v if isinstance(v, sp.Symbol) else v.label for v in random}
    free: set[sp.Symbol] = set()
    for s in steps + [Step(v) for v in where.values()]:
        free |= {x for x in s.expr.free_symbols if isinstance(x, sp.Symbol)}
    free |= {x for x in used if isinstance(x, sp.Symbol) and not isinstance(x, sp.Dummy)}
    for sym in sorted(free - set(where) - random_names, key=str):
        if sym in declared:
            domain[sym] = declared[sym][1]
        elif sym.is_integer:
            domain[sym] = (1, sp.oo)
        else:
            domain[sym] = (-sp.oo, sp.oo)
    # (a limit symbol is declared by [limits]: only its side of the limit point matters)
    known = set(declared) | set(where) | random_names | {symbols(n) for n in scope.ranges} | {symbols(n) for n in scope.limits}
    # functions the context does not declare (w_{jk}^l, z_j^l read as arbitrary functions of their
    # indices): a refutation that needs them to be arbitrary is not a refutation of the notes
    declared_functions = set(conv.functions) | {"event", "seq"} | set(scope.domains)
    def loose(exprs) -> set[str]:
        return {type(f).__name__ for e in exprs for f in e.atoms(AppliedUndef)
                if not type(f).__name__.startswith("∂") and type(f).__name__.rstrip("_") not in declared_functions}

    # per link (the two lines it compares, and every abbreviation): an undeclared P(…) on line 0 says
    # nothing about the link between lines 1 and 2
    shared = [v for v in where.values() if isinstance(v, sp.Basic)]
    undeclared[cid] = {}
    for q in range(1, len(steps)):
        pair = [steps[q - 1].expr, steps[q].expr, *shared]
        names_q = set().union(*(e.free_symbols for e in pair))
        undeclared[cid][q] = tuple(sorted({str(x) for x in (names_q & free) - known if not x.is_integer} | loose(pair)))
    little = set(scope.notation.get("little_o", []))
    if little:  # o(ρ) in a ≈ line: the remainder of an expansion, o(ρ)/ρ → 0 (the engine's Step.small)
        def small_in(s: Step) -> tuple:  # o(ρ) in the line or in an abbreviation it uses (ΔL = … + o(ρ))
            exprs = [s.expr] + [v for k, v in where.items() if k in s.expr.free_symbols]
            return tuple(sorted({type(f) for e in exprs for f in e.atoms(AppliedUndef) if type(f).__name__ in little}, key=str))

        steps = [replace(s, small=tuple(dict.fromkeys(small_in(steps[q - 1]) + small_in(s))))
                 if q and s.rel == "≈" and s.limit is not None and sp.sympify(s.limit[1]) == 0 and (small_in(steps[q - 1]) or small_in(s))
                 else s for q, s in enumerate(steps)]
    title = f"{path.name}, line {members[0].line}" + (f" ({chain.label})" if chain.label else "")
    return Claim(cid, steps, domain=domain, random=random, where=where, equation=chain.label, section=chain.section,
                 title=title, source=f"{path}:{members[0].line}", scope=scope_text)
