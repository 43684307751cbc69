"""LaTeX display math → SymPy, by a recursive-descent parser over a whitelisted subset.

Nothing is evaluated as Python: every SymPy object is built from tokens the parser recognises.
An unknown command is an error, never a symbol; an ambiguity the notes' conventions must settle
(is `f(x)` a call or a product? is `^{l}` a power or a layer?) is an error that names the context
entry that settles it. Limits (size, nesting depth, exponent and factorial sizes) are those of
`verifier.parse`, the command-line whitelist.

What it reads: numbers, letters, Greek letters, `+ - \\cdot \\times /`, implicit products,
`\\frac`, `\\sqrt`, `^` (powers, or indices by the declared convention), `_` (indices → Indexed,
or a declared label → part of the name), `\\sum`/`\\prod` with or without limits (a declared
range), `\\frac{\\partial A}{\\partial B}` (derivatives), `E[·]`, `E(·)`, `Var`, `P(·)`, declared
functions (`\\sigma(z)`, `\\sigma'(z)`), decorated names (`\\hat{x}`, `\\bar{X}`, `\\vec{w}`,
`\\mathcal{L}`, `\\overrightarrow{a^l}`, `\\boldsymbol{w}`), `\\left`/`\\right`, `|x|`, `k!`,
`\\binom`, `e^{x}`, `\\ln`, `\\exp`, `\\Delta w` as one name, and `a_1 + a_2 + \\dots + a_n`.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from ..errors import UnsafeInputError
from ..parse import MAX_ARGUMENT, MAX_DEPTH, MAX_DIGITS, MAX_EXPONENT, MAX_LENGTH
from ..randvars import E, P, Var

GREEK = {
    "alpha": "alpha", "beta": "beta", "gamma": "gamma", "delta": "delta", "epsilon": "epsilon",
    "varepsilon": "epsilon", "zeta": "zeta", "eta": "eta", "theta": "theta", "vartheta": "theta",
    "iota": "iota", "kappa": "kappa", "lambda": "lambda", "mu": "mu", "nu": "nu", "xi": "xi",
    "rho": "rho", "varrho": "rho", "sigma": "sigma", "tau": "tau", "upsilon": "upsilon", "phi": "phi",
    "varphi": "phi", "chi": "chi", "psi": "psi", "omega": "omega",
    "Gamma": "Gamma", "Delta": "Delta", "Theta": "Theta", "Lambda": "Lambda", "Xi": "Xi",
    "Sigma": "Sigma", "Phi": "Phi", "Psi": "Psi", "Omega": "Omega", "Pi": "Pi", "Upsilon": "Upsilon",
}
# Decorations → how the plain symbol's name changes (vectors and bold matrices are plain names).
DECORATIONS = {
    "hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0304", "tilde": "\u0303",
    "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308",
    "vec": "", "overrightarrow": "", "boldsymbol": "", "mathbf": "", "bm": "",
    "mathcal": "cal", "mathscr": "cal", "mathrm": "", "mathit": "", "mathsf": "", "mathbb": "bb",
}
_SCRIPT = {"A": "𝒜", "B": "ℬ", "C": "𝒞", "D": "𝒟", "E": "ℰ", "F": "ℱ", "G": "𝒢", "H": "ℋ", "I": "ℐ", "J": "𝒥",
           "K": "𝒦", "L": "ℒ", "M": "ℳ", "N": "𝒩", "O": "𝒪", "P": "𝒫", "Q": "𝒬", "R": "ℛ", "S": "𝒮", "T": "𝒯",
           "U": "𝒰", "V": "𝒱", "W": "𝒲", "X": "𝒳", "Y": "𝒴", "Z": "𝒵"}
SKIP = {",", ";", "!", ":", " ", "quad", "qquad", "displaystyle", "textstyle", "limits", "nolimits",
        "left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr", "big", "Big"}
DOTS = {"dots", "cdots", "ldots"}
FUNCS: Mapping[str, Callable[..., sp.Expr]] = {
    "ln": sp.log, "log": sp.log, "exp": sp.exp, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "tanh": sp.tanh,
    "sinh": sp.sinh, "cosh": sp.cosh, "sign": sp.sign, "sgn": sp.sign,
}
# Commands refused with a reason a reader can act on (the cause groups the report's unparsed lines).
REFUSED: Mapping[str, str] = {
    "text": "prose inside the line (\\text{…})", "mbox": "prose inside the line", "textrm": "prose inside the line",
    "iint": "a multiple integral (not read yet)", "oint": "a contour integral (not read yet)",
    "otimes": "⊗ with nothing before it",
    "odot": "an elementwise product ⊙ of vectors (not read yet)", "top": "a transpose (vectors and matrices: not read yet)",
    "arg": "argmax/argmin (not an expression)",
    "in": "a set membership (∈)", "subseteq": "a set relation", "subset": "a set relation", "mathbb": "a set (\\mathbb)",
    "lim": "a limit (not read yet)", "leftarrow": "an update rule (←), not an equation", "gets": "an update rule (←)",
    "rightarrow": "an arrow", "to": "an arrow", "Rightarrow": "an implication", "forall": "a quantifier",
    "exists": "a quantifier", "operatorname": "an operator name", "Big": "an evaluation bar |_a^b (not read yet)",
    "big": "an evaluation bar", "bigg": "an evaluation bar", "Bigg": "an evaluation bar", "mid": "a conditional bar",
    "star": "a convolution", "ast": "a convolution",
}
NAME_COMMAND = "verifiername"  # what the context's name fragments become before parsing
_TOKEN = re.compile(r"\\([A-Za-z]+)\*?|\\(.)|(\d+(?:\.\d+)?)|([A-Za-z])|(\s+)|(.)", re.DOTALL)
_CLOSING = {"(": ")", "[": "]", "{": "}"}  # the brackets that only group


class LatexError(UnsafeInputError):
    """A line the parser does not read; `cause` groups it in reports, `problem` says why in full."""

    def __init__(self, problem: str, hint: str = "", cause: str = "") -> None:
        super().__init__(problem, hint)
        self.cause = cause or problem


@dataclass(frozen=True)
class Tok:
    """One token: kind (cmd, num, letter, punct), text, whether whitespace precedes it, its offset."""

    kind: str
    text: str
    space: bool
    pos: int


@dataclass
class Conventions:
    """What the LaTeX does not say and the notes' context does (verifier.notes.context fills it)."""

    functions: set[str] = field(default_factory=set)  # names applied to arguments: sigma, f, L
    symbols: set[str] = field(default_factory=set)  # names that multiply a following ( … ): p, lambda
    words: set[str] = field(default_factory=lambda: {"Var"})  # multi-letter names read as one
    label_subscripts: set[str] = field(default_factory=set)  # subscripts that are part of a name: tr, B
    layer_superscripts: set[str] = field(default_factory=set)  # symbols of superscripts that are an index: l, L
    paren_superscript_index: bool = True  # x^{(k)} is the k-th feature, never a power
    ranges: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # index → (lo, hi) for \sum_k without limits
    integers: set[str] = field(default_factory=lambda: {"i", "j", "k", "l", "m", "n", "N", "K", "L", "r", "c", "p", "q"})
    euler_e: bool = True  # e^{x} is exp(x) unless e is declared a symbol
    opaque: set[str] = field(default_factory=set)  # names whose derivatives are opaque (a loss ℒ)
    layered: set[str] = field(default_factory=set)  # names whose every superscript is a layer index (δ^{i+1})
    random: set[str] = field(default_factory=set)  # random variables (P(X = 1) is then the verifier's P)
    star_convolution: bool = False  # `a * w` is a convolution (an opaque function of both), not a product
    star_full: bool = False  # … and in full mode (the map zero-padded: 3.14's δ^{l+1} * rot180(w)), not valid mode
    indicators: set[str] = field(default_factory=set)  # I(y_i = c_k) is 1 when the two are equal, else 0
    definitions: list[tuple[sp.Expr, sp.Expr]] = field(default_factory=list)  # name → value, for derivatives
    average: tuple[Any, Any, Any] | None = None  # (i, lo, hi): E[f] is the sample average (1/n) Σ_{i=lo}^{hi} f
    shapes: dict[str, list[tuple[Any, Any]]] = field(default_factory=dict)  # vectors/matrices: entry ranges (notes.entries)
    entries: tuple[Any, ...] = ()  # the free entry indices a vector line is read at (j, k)
    broadcast: bool = False  # in the entry reading, a number added to a matrix is added to every entry
    little_o: set[str] = field(default_factory=set)  # remainders o(ρ) of ≈ lines: never a function a line defines


@dataclass
class Parsed:
    """A parsed member: the expression and what the parser had to assume (abstractions)."""

    expr: sp.Expr
    abstract: tuple[str, ...] = ()  # opaque derivatives / probabilities: a refutation cannot be trusted


def tokenize(text: str) -> list[Tok]:
    """Tokens of a LaTeX string (whitespace folded into the next token's `space` flag)."""
    if len(text) > MAX_LENGTH:
        raise LatexError(f"line is {len(text)} characters long (limit {MAX_LENGTH})", "split it", "too long")
    out: list[Tok] = []
    space = False
    for m in _TOKEN.finditer(text):
        cmd, sym, num, letter, ws, other = m.groups()
        if ws:
            space = True
            continue
        if cmd:
            out.append(Tok("cmd", cmd, space, m.start()))
        elif sym:
            out.append(Tok("cmd", sym, space, m.start()))
        elif num:
            if len(num) > MAX_DIGITS:
                raise LatexError(f"a number of {len(num)} digits (limit {MAX_DIGITS})", "use smaller numbers", "too large a number")
            out.append(Tok("num", num, space, m.start()))
        elif letter:
            out.append(Tok("letter", letter, space, m.start()))
        else:
            ch = other
            if not ch.isascii():
                name = unicodedata.name(ch, "an unnamed character")
                raise LatexError(f"the character {ch!r} ({name})", "write LaTeX commands (\\alpha, \\cdot)", "non-ASCII character")
            out.append(Tok("punct", ch, space, m.start()))
        space = False
    return out


class Parser:
    """Recursive descent over one chain member; `parse()` returns a `Parsed` or raises LatexError."""

    def __init__(self, text: str, conv: Conventions, symbol: Callable[[str], sp.Symbol] | None = None) -> None:
        self.text = text
        self.conv = conv
        self.toks = [t for t in tokenize(text) if not (t.kind == "cmd" and t.text in SKIP)]
        self.pos = 0
        self.depth = 0
        self.abstract: list[str] = []
        self._symbol = symbol or (lambda name: sp.Symbol(name, integer=True) if name in conv.integers else sp.Symbol(name))
        self.bound: list[sp.Symbol] = []
        self.abs_depth = 0  # how many |…| (or P(…|…)) are open: a bar then closes rather than opens
        self.vectors: set[str] = set()
        self.column_vectors: set[str] = set()  # names written as vectors or matrices (\vec, \boldsymbol, \overrightarrow)

    # --- plumbing ------------------------------------------------------------------------------
    def fail(self, problem: str, cause: str = "", hint: str = "") -> LatexError:
        """An error naming the problem and where it is."""
        at = self.toks[self.pos].pos if self.pos < len(self.toks) else len(self.text)
        near = self.text[max(0, at - 15):at + 15].strip()
        return LatexError(f"{problem} near {near!r}", hint, cause or problem)

    def peek(self, k: int = 0) -> Tok | None:
        """The token k ahead, or None at the end."""
        i = self.pos + k
        return self.toks[i] if i < len(self.toks) else None

    def at(self, kind: str, text: str | None = None, k: int = 0) -> bool:
        """Is the token k ahead of this kind (and text)?"""
        t = self.peek(k)
        return t is not None and t.kind == kind and (text is None or t.text == text)

    def take(self) -> Tok:
        """Consume one token."""
        t = self.peek()
        if t is None:
            raise self.fail("the line ends too early", "incomplete line")
        self.pos += 1
        return t

    def expect(self, kind: str, text: str) -> None:
        """Consume a required token."""
        if not self.at(kind, text):
            got = self.peek().text if self.peek() else "the end"
            raise self.fail(f"expected {text!r}, got {got!r}", "unbalanced or unexpected token")
        self.pos += 1

    def sym(self, name: str) -> sp.Symbol:
        """The Symbol a name denotes (the same object for the same name)."""
        return self._symbol(name)

    def enter(self) -> None:
        """One level deeper; refuse absurd nesting."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LatexError(f"nested more than {MAX_DEPTH} levels deep", "simplify the nesting", "nested too deeply")

    # --- grammar -------------------------------------------------------------------------------
    def parse(self) -> Parsed:
        """The whole member as one expression."""
        if not self.toks:
            raise LatexError("empty line", "", "empty")
        expr = self.expression()
        if self.peek() is not None:
            t = self.peek()
            raise self.fail(f"unexpected {t.text!r}", _cause_of(t))
        guard(expr, self.conv)
        return Parsed(expr, tuple(dict.fromkeys(self.abstract)))

    def group(self) -> sp.Expr:
        """`{ expression }` or a single atom (as TeX reads `\\frac12`)."""
        self.enter()
        try:
            if self.at("punct", "{"):
                self.take()
                e = self.expression(stop="}")
                self.expect("punct", "}")
                return e
            if self.at("num"):
                t = self.peek()
                if len(t.text) > 1 and t.text.isdigit():  # TeX reads \frac12 as \frac{1}{2}: one digit is the argument
                    self.toks[self.pos] = Tok("num", t.text[1:], False, t.pos + 1)
                    return self.number(t.text[0])
                self.take()
                return self.number(t.text)
            if self.at("letter"):  # ^k (1-p): the script is the letter alone
                return self.sym(self.take().text)
            if self.at("cmd") and self.peek().text in GREEK and not self.at("punct", "_", 1):
                return self.sym(GREEK[self.take().text])
            return self.primary()
        finally:
            self.depth -= 1

    def expression(self, stop: str | None = None) -> sp.Expr:
        """Sum of terms; `a_1 + a_2 + \\dots + a_n` becomes a Sum."""
        self.enter()
        try:
            terms: list[Any] = []
            sign = 1
            if self.at("punct", "+") or self.at("punct", "-"):
                sign = -1 if self.take().text == "-" else 1
            while True:
                if self.at("cmd") and self.peek().text in DOTS:
                    self.take()
                    terms.append("…")
                else:
                    t = self.term()
                    terms.append(-t if sign < 0 else t)
                if self.at("punct", "+") or self.at("punct", "-"):
                    sign = -1 if self.take().text == "-" else 1
                    continue
                break
            return _fold_dots(terms, self)
        finally:
            self.depth -= 1

    def _ends_term(self) -> bool:
        t = self.peek()
        if t is None:
            return True
        if t.kind == "punct" and t.text == "|":
            return self.abs_depth > 0  # inside |…| (or P(a|b)) a bar closes; elsewhere it opens |x|
        if t.kind == "punct" and t.text in "+-)]},=<>&;":
            return True
        return t.kind == "cmd" and (t.text in DOTS or t.text in ("right", "end"))

    def term(self) -> sp.Expr:
        """Product of factors (explicit \\cdot, \\times, / or juxtaposition)."""
        self.enter()
        try:
            factors = [self.factor()]
            divide: list[bool] = [False]
            while not self._ends_term() or (self.at("punct", "|") and self.at("punct", "_", 1)):
                if self.at("punct", "|") and self.at("punct", "_", 1):
                    product = sp.Integer(1)
                    for f, d in zip(factors, divide):
                        product = _divide(product, f) if d else product * f
                    factors, divide = [self.evaluation_bar(product)], [False]
                    continue
                if self.at("cmd", "cdot") or self.at("cmd", "times"):
                    self.take()
                elif self.at("punct", "/"):
                    self.take()
                    factors.append(self.factor())
                    divide.append(True)
                    continue
                elif self.at("cmd", "otimes") or self.at("cmd", "odot"):
                    # ⊙/⊗ elementwise: commutative like a product of numbers, so it joins the factor before it
                    self.take()
                    factors[-1] = factors[-1] * self.factor()
                    continue
                elif self.at("punct", "*"):
                    if not self.conv.star_convolution:
                        raise self.fail("`*` between factors (a convolution, or a product?)", "a convolution *",
                                        'declare star = "convolution" under [notation] in the context')
                    self.take()
                    self.abstract.append("convolution *")
                    factors[-1] = sp.Function("conv_full" if self.conv.star_full else "conv")(factors[-1], self.factor())
                    continue
                factors.append(self.factor())
                divide.append(False)
            factors, divide = _inner_products(factors, divide, self)
            factors, divide = self.check_vector_product(factors, divide)
            out: sp.Expr = sp.Integer(1)
            for f, d in zip(factors, divide):
                out = _divide(out, f) if d else out * f
            return out
        finally:
            self.depth -= 1

    def transpose(self, base: sp.Expr) -> Any:
        """u^T of a column vector u (\\vec u, or a gradient): kept until the factor it multiplies makes u^T v."""
        names = {str(getattr(x, "label", x)) for x in base.free_symbols}
        is_vector = bool(names & self.column_vectors) or isinstance(base, AppliedUndef) and type(base).__name__ == "grad"
        if not is_vector:  # a matrix (or a vector of a product): an opaque transpose, ordered by matmul
            names = {str(getattr(x, "label", x)) for x in base.free_symbols}
            if not names & self.vectors:
                raise self.fail("a transpose of something that is not a vector or matrix", "a transpose of a scalar")
            self.abstract.append("transpose")
            return sp.Function("transpose")(base)
        return _Transposed(base)

    def evaluation_bar(self, expr: sp.Expr) -> sp.Expr:
        """expr |_{a}^{b} = expr(b) − expr(a), in the one variable of expr that the limits do not use."""
        self.expect("punct", "|")
        self.expect("punct", "_")
        lo = self.group()
        self.expect("punct", "^")
        hi = self.group()
        free = expr.free_symbols - lo.free_symbols - hi.free_symbols
        if len(free) != 1:
            raise self.fail("an evaluation bar |_a^b whose variable is not the one free symbol left", "an evaluation bar with no single variable")
        (v,) = free
        return expr.xreplace({v: hi}) - expr.xreplace({v: lo})

    def check_vector_product(self, factors: list[Any], divide: list[bool] | None = None) -> tuple[list[Any], list[bool]]:
        """A product of two or more vector/matrix quantities (W a, δ (a)^T) becomes one ordered
        matmul(W, a): SymPy's product commutes, theirs does not, so it stays an opaque function."""
        divide = divide if divide is not None else [False] * len(factors)
        if not self.vectors:
            return factors, divide
        names = {sp.Symbol(n).name for n in self.vectors}

        def vector_valued(f: Any) -> bool:
            # a norm, an inner product or an absolute value is a number, whatever vectors it holds
            bare = f.replace(lambda e: isinstance(e, sp.Abs) or isinstance(e, AppliedUndef) and type(e).__name__ in ("norm", "dot"),
                             lambda e: sp.Integer(1))
            return bool({str(getattr(x, "label", x)) for x in bare.free_symbols} & names
                        or {type(a).__name__ for a in bare.atoms(AppliedUndef)} & (names | {"transpose", "matmul"}))

        heavy = [k for k, f in enumerate(factors) if isinstance(f, sp.Basic) and not divide[k] and vector_valued(f)]
        if any(isinstance(factors[k], AppliedUndef) and type(factors[k]).__name__ == "transpose" for k in heavy):
            # A^T x: whatever multiplies a transpose is taken in order (x may be a vector the notes did not mark)
            heavy = [k for k, f in enumerate(factors) if isinstance(f, sp.Basic) and not divide[k] and not f.is_number]
        if len(heavy) < 2:
            return factors, divide
        if any(isinstance(factors[k], sp.Add) for k in heavy):
            raise self.fail("a product of a sum of vectors or matrices with another (order and distribution are not read yet)",
                            "a product of vectors or matrices")
        self.abstract.append("matrix product")
        product = sp.Function("matmul")(*[factors[k] for k in heavy])
        keep = [k for k in range(len(factors)) if k not in heavy]
        return [product] + [factors[k] for k in keep], [False] + [divide[k] for k in keep]

    def factor(self) -> sp.Expr:
        """A signed postfix expression."""
        if self.at("punct", "-"):
            self.take()
            return -self.factor()
        if self.at("punct", "+"):
            self.take()
            return self.factor()
        return self.postfix(self.primary())

    def postfix(self, base: sp.Expr) -> sp.Expr:
        """Powers (`^`) and factorials (`!`) after a primary."""
        while True:
            if self.at("punct", "^"):
                self.take()
                if self.at("cmd", "top") or (self.at("punct", "{") and self.at("cmd", "top", 1)) or (
                        self.at("punct", "{") and self.at("cmd", "mathrm", 1)) or self.at("letter", "T") and not self.at("punct", "{"):
                    self.raw_group()
                    base = self.transpose(base)
                    continue
                exponent = self.group()
                base = self.power(base, exponent)
            elif self.at("punct", "!"):
                self.take()
                size = _magnitude(base)
                if size is not None and size > MAX_ARGUMENT:
                    raise self.fail(f"a factorial of about {size:g} (limit {MAX_ARGUMENT})", "too large a number")
                base = sp.factorial(base)
            else:
                return base

    def power(self, base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
        """base**exponent with the command line's size limits."""
        if exponent.is_number:
            size = _magnitude(exponent)
            if size is not None and size > MAX_EXPONENT:
                raise self.fail(f"an exponent of about {size:g} (limit {MAX_EXPONENT})", "too large a number")
            if base.is_Rational and exponent.is_Rational and base != 0:
                bits = max(abs(base.p).bit_length(), base.q.bit_length()) * abs(float(exponent))
                if bits * 0.302 > MAX_DIGITS:
                    raise self.fail(f"a power of about {int(bits * 0.302)} digits (limit {MAX_DIGITS})", "too large a number")
        if base == sp.E:
            return sp.exp(exponent)
        return base**exponent

    def primary(self) -> sp.Expr:
        """A number, name, group, command or bracketed expression."""
        self.enter()
        try:
            return self._primary()
        finally:
            self.depth -= 1

    def _primary(self) -> sp.Expr:
        t = self.peek()
        if t is None:
            raise self.fail("the line ends where a term was expected", "incomplete line")
        if t.kind == "num":
            self.take()
            return self.number(t.text)
        if t.kind == "punct":
            if t.text in _CLOSING:  # ( … ), [ … ], { … }: grouping only
                self.take()
                e = self.expression()
                self.expect("punct", _CLOSING[t.text])
                return e
            if t.text == "|":
                self.take()
                if self.at("punct", "|"):  # ||v||: a norm, an opaque non-negative quantity of v
                    self.take()
                    self.abs_depth += 1
                    try:
                        e = self.expression()
                    finally:
                        self.abs_depth -= 1
                    self.expect("punct", "|")
                    self.expect("punct", "|")
                    self.abstract.append("‖·‖")
                    return sp.Function("norm")(e)
                self.abs_depth += 1
                try:
                    e = self.expression()
                finally:
                    self.abs_depth -= 1
                self.expect("punct", "|")
                return sp.Abs(e)
            raise self.fail(f"unexpected {t.text!r}", _cause_of(t))
        if t.kind == "letter":
            return self.name_or_call()
        # commands
        c = t.text
        if c == "frac" or c == "dfrac" or c == "tfrac":
            self.take()
            return self.fraction()
        if c == "sqrt":
            self.take()
            if self.at("punct", "["):
                raise self.fail("an n-th root \\sqrt[n]", "an n-th root")
            return sp.sqrt(self.group())
        if c in ("sum", "prod"):
            self.take()
            return self.big_operator(c)
        if c == "binom":
            self.take()
            n, k = self.group(), self.group()
            for v in (n, k):
                size = _magnitude(v)
                if size is not None and size > MAX_ARGUMENT:
                    raise self.fail(f"a binomial of about {size:g} (limit {MAX_ARGUMENT})", "too large a number")
            return sp.binomial(n, k)
        if c in ("pi",):
            self.take()
            return sp.pi
        if c == "infty":
            self.take()
            return sp.oo
        if c in FUNCS:
            self.take()
            return self.apply_builtin(c)
        if c == "operatorname":
            self.take()
            word = _tok_text(self.raw_group())
            if word in FUNCS:
                return self.apply_builtin(word)
            if word in self.conv.functions or word in self.conv.words:
                return self.opaque_call(word)
            raise self.fail(f"\\operatorname{{{word}}}: an operator the context does not declare", "an operator name")
        if c == "nabla":
            self.take()
            return self.gradient()
        if c == "int":
            self.take()
            return self.integral()
        if c in ("max", "min") or (c == "arg" and self.at("cmd", "max", 1) or c == "arg" and self.at("cmd", "min", 1)):
            return self.extremum()
        if c in GREEK or c in DECORATIONS or c == NAME_COMMAND:
            return self.name_or_call()
        if c in ("{", "}"):
            raise self.fail("a set in braces \\{…\\}", "a set")
        if c in DOTS:
            raise self.fail("dots outside a sum a_1 + … + a_n", "dots … (not a sum of indexed terms)")
        if c == "partial":
            raise self.fail("a ∂ outside \\frac{\\partial …}{\\partial …}", "a ∂ outside a fraction")
        if c in REFUSED:
            raise self.fail(f"\\{c}: {REFUSED[c]}", REFUSED[c])
        raise self.fail(f"unknown command \\{c}", f"unknown command \\{c}", "write it with the commands the reader knows, or report it")

    def number(self, text: str) -> sp.Expr:
        """An exact number (0.1 is one tenth)."""
        return sp.Rational(text) if "." in text else sp.Integer(text)

    # --- names ---------------------------------------------------------------------------------
    def base_name(self) -> tuple[str, bool]:
        """A name and whether it came decorated: letters, Greek, \\hat{x}, \\mathcal{L}, \\Delta w, words."""
        t = self.peek()
        if t.kind == "letter":
            # a declared word (Var, BN) read as one name; else a single letter
            for w in sorted(self.conv.words | {"E"}, key=len, reverse=True):
                if len(w) > 1 and self._spells(w):
                    self.pos += len(w)
                    return w, False
            run = self._word_ahead()
            if run >= 3:
                word = "".join(x.text for x in self.toks[self.pos:self.pos + run])
                if _longest_undeclared(word, self.conv.words | {"E"}) >= 3:
                    raise self.fail(f"the word {word!r} (a name the context does not declare, or prose)",
                                    "an undeclared multi-letter name or prose", "declare it under words = [...] in the context")
            self.take()
            return t.text, False
        if t.kind == "cmd" and t.text == NAME_COMMAND:  # a fragment the context names (S^{2} → S2)
            self.take()
            raw = self.raw_group()
            return _tok_text(raw), True
        if t.kind == "cmd" and t.text in GREEK:
            self.take()
            name = GREEK[t.text]
            if name == "Delta" and (self.at("letter") or self.at("cmd") and (self.peek().text in GREEK or self.peek().text in DECORATIONS)):
                inner, _ = self.base_name()  # \Delta w: one name
                return "Δ" + inner, True
            return name, False
        if t.kind == "cmd" and t.text in DECORATIONS:
            self.take()
            mark = DECORATIONS[t.text]
            if t.text == "mathbb":
                raise self.fail("a set (\\mathbb)", "a set (\\mathbb)")
            if not self.at("punct", "{") and not self.at("letter"):
                raise self.fail(f"\\{t.text} without an argument", "malformed decoration")
            braced = self.at("punct", "{")
            if braced:
                self.take()
            if t.text == "mathrm" and braced and self.at("letter", "T") and self.at("punct", "}", 1):
                raise self.fail("a transpose ^T (vectors and matrices are not read yet)", "a transpose (vectors and matrices: not read yet)")
            name, _ = self.base_name()
            if braced:
                # \vec{x_i}, \overrightarrow{a^{l-1}}: scripts inside the decoration belong to the name
                self._inner_scripts = self.scripts_inside()
                self.expect("punct", "}")
            if t.text in ("vec", "overrightarrow", "boldsymbol", "mathbf", "bm"):
                self.vectors.add(name)
            if t.text == "vec":  # \\vec marks a column vector; \\overrightarrow and bold also mark matrices here
                self.column_vectors.add(name)
            if mark == "cal":
                return (_SCRIPT.get(name, "cal" + name)), True
            if mark in ("bb",):
                return name, True
            return name + mark, True
        raise self.fail(f"expected a name, got {t.text!r}", _cause_of(t))

    _inner_scripts: tuple[Any, Any] | None = None
    _current_name: str = ""

    def scripts_inside(self) -> tuple[Any, Any] | None:
        """Sub/superscripts written inside a decoration's braces (\\vec{x_i}); None when there are none."""
        sub = sup = None
        while self.at("punct", "_") or self.at("punct", "^"):
            which = self.take().text
            raw = self.raw_group()
            if which == "_":
                sub = raw
            else:
                sup = raw
        return (sub, sup) if (sub or sup) else None

    def _spells(self, word: str) -> bool:
        for k, ch in enumerate(word):
            t = self.peek(k)
            if t is None or t.kind != "letter" or t.text != ch or (k > 0 and t.space):
                return False
        nxt = self.peek(len(word))
        return not (nxt is not None and nxt.kind == "letter" and not nxt.space and self._word_ahead() > len(word) + 1)

    def _word_ahead(self) -> int:
        n = 0
        while True:
            t = self.peek(n)
            if t is None or t.kind != "letter" or (n > 0 and t.space):
                return n
            n += 1

    def raw_group(self) -> list[Tok]:
        """The tokens of a `{…}` group (or one token), unparsed, for scripts read by convention."""
        if self.at("punct", "{"):
            self.take()
            start, depth = self.pos, 1
            while True:
                t = self.take()
                if t.kind == "punct" and t.text == "{":
                    depth += 1
                elif t.kind == "punct" and t.text == "}":
                    depth -= 1
                    if depth == 0:
                        return self.toks[start:self.pos - 1]
        t = self.take()
        if t.kind == "cmd" and t.text in DECORATIONS:  # _\mathcal{B}
            start = self.pos - 1
            self.raw_group()
            return self.toks[start:self.pos]
        return [t]

    def name_or_call(self) -> sp.Expr:
        """A name with its scripts, then a call when the name is a function or an operator."""
        self._inner_scripts = None
        name, decorated = self.base_name()
        self._current_name = name
        inner = self._inner_scripts
        self._inner_scripts = None
        sub_toks = sup_toks = None
        if inner:
            sub_toks, sup_toks = inner
        # scripts after the name: _ and ^ in either order (a ^ that is a power is left to postfix)
        while self.at("punct", "_") and sub_toks is None:
            self.take()
            sub_toks = self.raw_group()
        label = ""
        indices: list[sp.Expr] = []
        if sub_toks is not None:
            text = _tok_text(sub_toks)
            if text in self.conv.label_subscripts or (len(sub_toks) >= 1 and sub_toks[0].kind == "cmd" and sub_toks[0].text in DECORATIONS):
                label = _label_text(sub_toks)
            elif text.replace(" ", "") in self.conv.words or (name in ("P",) and text.isalpha() and len(text) > 1):
                label = text
            else:
                indices = self.indices(sub_toks)
        if label:
            name = f"{name}_{label}"
        # a superscript that is an index by convention (^{l}, ^{(k)}) joins the indices
        layer = self.layer_superscript(sup_toks)
        if sup_toks is not None and layer is None:
            raise self.fail("a superscript inside a decoration that is not an index", "a superscript inside a decoration")
        if layer is None and self.at("punct", "^"):
            save = self.pos
            self.take()
            raw = self.raw_group()
            layer = self.layer_superscript(raw)
            if layer is None:
                self.pos = save  # a power: postfix reads it
        if layer is not None:
            indices = indices + layer
            if self.at("punct", "_") and sub_toks is None:  # x^{l}_{j}: the subscript after
                self.take()
                indices = self.indices(self.raw_group()) + indices
        if self.at("num") and not self.peek().space and not (name in self.conv.functions and self.at("punct", "(", 1)):
            raise self.fail(f"digits right after the name {name} (rot180? x2?): a name or a product?", "a name followed by digits",
                            f"declare {name} under functions (rot180(w)) or write a space")
        prime = 0
        while self.at("punct", "'"):
            self.take()
            prime += 1
        # operators and calls
        if name in ("E", "Var") and not indices and (self.at("punct", "(") or self.at("punct", "[")):
            arg = self.bracketed()
            if self.conv.average:  # a sample's average and variance, as the context declares
                i, lo, hi = self.conv.average
                mean = lambda f: sp.Sum(f, (i, lo, hi)) / (hi - lo + 1)
                return mean(arg) if name == "E" else mean(arg ** 2) - mean(arg) ** 2
            return E(arg) if name == "E" else Var(arg)
        if name == "E" and not indices and not self.at("punct", "(") and not self.at("punct", "["):
            if "E" not in self.conv.symbols:
                raise self.fail("E without brackets: an expectation, Euler's number or a variable?", "E without brackets",
                                "declare E under symbols in the context")
        if (name == "P" or name.startswith("P_")) and self.at("punct", "("):
            return self.probability(name, indices)
        base_name = name
        if name in self.conv.functions and self.at("num") and self.at("punct", "(", 1):  # rot180(w)
            base_name = name = name + self.take().text
            self.abstract.append(f"{name}(…)")
            return sp.Function(name)(*self.call_args())
        if self.at("punct", "(") and not self.at_space_paren():
            if base_name in self.conv.functions:
                args = self.call_args()
                fn = sp.Function(_fname(base_name, indices))
                out = fn(*args)
                for _ in range(prime):
                    out = _derivative_of_call(fn, args)
                return out
            if base_name not in self.conv.symbols and not indices and not decorated:
                raise self.fail(f"{base_name}( … ): a function call or a product?", "a call or a product? (name undeclared)",
                                f"declare {base_name} under functions or symbols in the context")
        if prime:
            raise self.fail(f"a prime on {base_name}, which is not a declared function", "a prime on a non-function")
        if base_name in self.conv.functions and not self.at("punct", "("):
            fn = sp.Function(_fname(base_name, indices))
            return sp.Symbol(_fname(base_name, indices)) if not indices else sp.Indexed(sp.IndexedBase(base_name), *indices)
        if name == "e" and self.conv.euler_e and "e" not in self.conv.symbols and not indices:
            if not self.at("punct", "^"):
                raise self.fail("e without an exponent: Euler's number or a variable?", "e without an exponent",
                                "declare e under symbols in the context")
            return sp.E
        if indices:
            return sp.Indexed(sp.IndexedBase(self.sym(base_name)), *indices)
        return self.sym(base_name)

    def at_space_paren(self) -> bool:
        """False: `f (x)` and `f(x)` read alike (the notes space freely)."""
        return False

    def layer_superscript(self, raw: list[Tok] | None) -> list[sp.Expr] | None:
        """The index a superscript denotes by convention (^{(k)}, ^{l+1}), or None for a power."""
        if raw is None:
            return None
        if self.conv.paren_superscript_index and len(raw) >= 3 and raw[0].text == "(" and raw[-1].text == ")":
            return [self.sub_expression(raw[1:-1])]
        if not self.conv.layer_superscripts:
            return None
        if self._current_name in self.conv.layered and all(t.kind in ("letter", "num") or t.text in "+-" for t in raw):
            return [self.sub_expression(raw)]  # a layered name: every superscript is its layer
        names = {t.text for t in raw if t.kind == "letter"}
        if names and names <= self.conv.layer_superscripts and all(t.kind in ("letter", "num") or t.text in "+-" for t in raw):
            return [self.sub_expression(raw)]
        return None

    def indices(self, raw: list[Tok]) -> list[sp.Expr]:
        """Subscript → indices: `jk` → j, k; `i+p-1,j+q-1` → two expressions; `1` → 1; `{i}` → i."""
        if not raw:
            raise self.fail("an empty subscript", "malformed subscript")
        parts: list[list[Tok]] = [[]]
        depth = 0
        for t in raw:
            if t.kind == "punct" and t.text in "({[":
                depth += 1
            elif t.kind == "punct" and t.text in ")}]":
                depth -= 1
            if t.kind == "punct" and t.text == "," and depth == 0:
                parts.append([])
            else:
                parts[-1].append(t)
        if len(parts) == 1 and all(t.kind == "letter" for t in raw) and len(raw) > 1:
            return [self.sym(t.text) for t in raw]  # w_{jk}: two indices
        if len(parts) == 1 and len(raw) == 2 and raw[0].kind == "letter" and raw[1].kind == "num":
            raise self.fail("a subscript like x_{i1}: one index or two?", "an ambiguous subscript")
        return [self.sub_expression(p) for p in parts]

    def sub_expression(self, raw: list[Tok]) -> sp.Expr:
        """Parse a token run as an expression (an index or a script)."""
        if not raw:
            raise self.fail("an empty index", "malformed subscript")
        sub = Parser.__new__(Parser)
        sub.__dict__.update(self.__dict__)
        sub.toks, sub.pos = list(raw), 0
        sub.abstract = self.abstract
        e = sub.expression()
        if sub.peek() is not None:
            raise self.fail(f"cannot read the index {_tok_text(raw)!r}", "malformed subscript")
        return e

    def opaque_call(self, name: str) -> sp.Expr:
        """name(args) or name followed by one factor (\\operatorname{rot} 180(w)), as an undefined function."""
        self.abstract.append(f"{name}(…)")
        if self.at("num") and self.at("punct", "(", 1):  # \\operatorname{rot} 180(w)
            name += self.take().text
        if self.at("punct", "("):
            return sp.Function(name)(*self.call_args())
        return sp.Function(name)(self.postfix(self.primary()))

    def integral(self) -> sp.Expr:
        """\\int_a^b f dx; without dx, the one symbol of f the limits do not use is the variable."""
        if not self.at("punct", "_"):
            raise self.fail("an integral without limits", "an integral without limits")
        self.take()
        lo_toks = self.raw_group()
        if any(t.kind == "cmd" for t in lo_toks) or not self.at("punct", "^"):
            raise self.fail("an integral over a set", "an integral over a set")
        lo = self.sub_expression(lo_toks)
        self.take()
        hi = self.group()
        factors = []
        var = None
        while not self._ends_term():
            if self.at("letter", "d") and self.at("letter", None, 1) and self.peek(1).space is False and (
                    self.peek(2) is None or self._ends_term_at(2)):
                self.take()
                var = self.sym(self.take().text)
                break
            if self.at("cmd", "cdot"):
                self.take()
            factors.append(self.factor())
        body = sp.Mul(*factors)
        if var is None:
            free = body.free_symbols - lo.free_symbols - hi.free_symbols
            if len(free) != 1:
                raise self.fail("an integral without d(variable) and no single candidate variable", "an integral without dx")
            (var,) = free
        return sp.Integral(body, (var, lo, hi))

    def _ends_term_at(self, k: int) -> bool:
        save = self.pos
        self.pos += k
        try:
            return self._ends_term()
        finally:
            self.pos = save

    def gradient(self) -> sp.Expr:
        """∇_v f (or ∇f_v): the gradient of f with respect to v, an opaque quantity of both."""
        var = None
        if self.at("punct", "_"):
            self.take()
            var = self.sub_expression(self.raw_group())
        f = self.primary()
        if var is None and isinstance(f, sp.Indexed):  # ∇ℒ_{w}: the subscript names the variable
            var, f = f.indices[0], f.base.label
        if var is None and isinstance(f, sp.Symbol) and "_" in f.name:  # ∇ℒ_{\vec w}: a decorated label
            head, _, tail = f.name.partition("_")
            f, var = self.sym(head), self.sym(tail)
        if var is None:
            raise self.fail("∇ without a variable", "a gradient without a variable")
        self.abstract.append("∇")
        return self.postfix(sp.Function("grad")(f, var))

    def extremum(self) -> sp.Expr:
        """\\max_{v} f, \\min_{v} f, \\arg\\max_{v} f: opaque functions of f and the variables."""
        kind = self.take().text
        if kind == "arg":
            kind = "arg" + self.take().text
        if not self.at("punct", "_"):
            raise self.fail(f"\\{kind} without a variable", "max/min without a variable")
        self.take()
        raw = self.raw_group()
        parts, cur, depth = [], [], 0
        for t in raw:
            if t.kind == "punct" and t.text == "," and depth == 0:
                parts.append(cur)
                cur = []
                continue
            cur.append(t)
        parts.append(cur)
        variables = [self.sub_expression(p) for p in parts if p]
        body = self.term()
        self.abstract.append(kind)
        return sp.Function(kind)(body, *variables)

    def bracketed(self) -> sp.Expr:
        """`( expr )` or `[ expr ]`."""
        close = ")" if self.take().text == "(" else "]"
        e = self.expression()
        self.expect("punct", close)
        return e

    def call_args(self) -> list[sp.Expr]:
        """`( a, b, … )` of a declared function; `;` separates parameters (refused)."""
        self.expect("punct", "(")
        args = [self.argument()]
        while self.at("punct", ",") or self.at("punct", ";"):
            self.take()  # f(x; θ): the parameters are arguments too
            args.append(self.argument())
        args = _fold_sequence(args, self)
        if self.at("punct", "|"):
            raise self.fail("a conditional bar inside a call", "a conditional bar")
        self.expect("punct", ")")
        return args

    def argument(self) -> Any:
        """One argument: an expression, an event `a = b`, or the dots of a sequence y_1, …, y_n."""
        if self.at("cmd") and self.peek().text in DOTS:
            self.take()
            return "…"
        e = self.expression()
        if self.at("punct", "="):
            self.take()
            return _as_arg(sp.Eq(e, self.expression(), evaluate=False))
        return e

    def probability(self, name: str, indices: list[sp.Expr]) -> sp.Expr:
        """P(X = 1) with declared random X → the verifier's P; anything else an opaque probability."""
        self.expect("punct", "(")
        parts: list[sp.Expr] = []
        bars = 0
        self.abs_depth += 1  # P(a | b): the bar separates
        try:
            self._probability_parts(parts)
        finally:
            self.abs_depth -= 1
        bars = sum(1 for q in parts if q == sp.Symbol("|"))
        if sum(1 for q in parts if q == sp.Symbol(";")) > 1 or (sp.Symbol(";") in parts and sp.Symbol("|") in parts
                                                                 and parts.index(sp.Symbol(";")) < parts.index(sp.Symbol("|"))):
            raise self.fail("a probability with two parameter lists, or parameters before its condition", "P(…; …) not read")
        self.expect("punct", ")")
        return self._probability_value(name, indices, parts, bars)

    def _probability_parts(self, parts: list[Any]) -> None:
        while True:
            if self.at("cmd") and self.peek().text in DOTS:
                self.take()
                parts.append("…")
            else:
                lhs = self.expression()
                if self.at("punct", "="):
                    self.take()
                    lhs = sp.Eq(lhs, self.expression(), evaluate=False)
                parts.append(lhs)
            if self.at("punct", ","):
                self.take()
                continue
            if self.at("punct", ";"):  # P(k; n, p): what follows are the distribution's parameters
                self.take()
                parts.append(sp.Symbol(";"))
                continue
            if self.at("punct", "|") or self.at("cmd", "mid"):
                self.take()
                parts.append(sp.Symbol("|"))
                continue
            break
        parts[:] = _fold_sequence(parts, self)

    def _probability_value(self, name: str, indices: list[sp.Expr], parts: list[Any], bars: int) -> sp.Expr:
        random = {self.sym(n) for n in self.conv.random}
        if name == "P" and not bars and len(parts) == 1 and isinstance(parts[0], sp.Eq) and parts[0].free_symbols & random:
            return P(parts[0])
        # an opaque probability: a function of its arguments, the bar and the semicolon written as
        # separators in its name — P(x|θ) is P_given1(x, θ), P(k; n, p) is P_with2(k, n, p) — so that
        # notes.probability can read it as a distribution. An indexed P_k(x) is a family the model
        # does not know: its name says so (P_idx), and it stays an opaque function.
        marks = (sp.Symbol("|"), sp.Symbol(";"))
        self.abstract.append(f"{name}(…)" if not indices else f"{name}_idx(…)")
        args = [p for p in parts if p not in marks]
        semi = parts.index(marks[1]) if marks[1] in parts else len(parts)
        conds = [i for i, p in enumerate(parts) if p == marks[0]]
        label = name + ("_idx" if indices else "")
        label += f"_given{semi - 1 - conds[0]}" if conds else ""
        label += f"_with{len(parts) - 1 - semi}" if semi < len(parts) else ""
        return sp.Function(label if label != "P" else "Pr")(*[_as_arg(a) for a in args], *indices)

    def apply_builtin(self, c: str) -> sp.Expr:
        """\\ln x, \\ln(x), \\exp(x), \\operatorname-free built-ins."""
        if self.at("punct", "("):
            self.take()
            arg = self.expression()
            self.expect("punct", ")")
        else:
            arg = self.postfix(self.primary())
        return FUNCS[c](arg)

    def fraction(self) -> sp.Expr:
        """\\frac{a}{b}, or a derivative when both parts start with \\partial."""
        if self.at("punct", "{") and self.at("cmd", "partial", 1):
            return self.derivative()
        num = self.group()
        den = self.group()
        return _divide(num, den)

    def derivative(self) -> sp.Expr:
        """\\frac{\\partial A}{\\partial v}: computed when A is defined, opaque (∂A/∂v) when A is not."""
        self.expect("punct", "{")
        self.expect("cmd", "partial")
        num = self.expression(stop="}")
        self.expect("punct", "}")
        self.expect("punct", "{")
        if not self.at("cmd", "partial"):
            raise self.fail("\\frac{\\partial …}{…} without ∂ below", "a malformed derivative")
        self.take()
        var = self.expression(stop="}")
        self.expect("punct", "}")
        return derivative(num, var, self)

    def big_operator(self, c: str) -> sp.Expr:
        """\\sum_{i=1}^{n} body, \\sum_i body (declared range), \\sum_{i,j} body."""
        if not self.at("punct", "_"):
            raise self.fail(f"\\{c} without an index", "a sum without an index")
        self.take()
        raw = self.raw_group()
        hi = None
        if self.at("punct", "^"):
            self.take()
            hi = self.group()
        limits: list[tuple[sp.Symbol, Any, Any]] = []
        eq = [k for k, t in enumerate(raw) if t.kind == "punct" and t.text == "="]
        if eq:
            var_toks, lo_toks = raw[:eq[0]], raw[eq[0] + 1:]
            if len(var_toks) != 1 or var_toks[0].kind != "letter":
                raise self.fail(f"a sum over {_tok_text(raw)!r}", "a sum over a set or pattern")
            if hi is None:
                raise self.fail("a sum with a lower limit and no upper limit", "a sum without an upper limit")
            limits.append((self.sym(var_toks[0].text), self.sub_expression(lo_toks), hi))
        else:
            if any(t.kind == "cmd" and t.text == "in" for t in raw):
                k = next(q for q, t in enumerate(raw) if t.kind == "cmd" and t.text == "in")
                member = self.sub_expression(raw[:k])
                the_set = self.sub_expression(raw[k + 1:])
                body = self.sum_body()
                numbered = self.conv.ranges.get(str(the_set)) if isinstance(the_set, sp.Symbol) else None
                if numbered and isinstance(member, sp.Indexed) and len(member.indices) == 1 and isinstance(member.indices[0], sp.Symbol):
                    # Σ_{x_i ∈ M} with M's members numbered by the context ([ranges] M = "1..N_M"): a sum over i
                    return sp.Sum(body, (member.indices[0], *numbered))
                self.abstract.append("Σ over a set")
                return sp.Function("sum_in")(body, member, the_set)
            if any(t.kind == "cmd" for t in raw):
                raise self.fail(f"a sum over {_tok_text(raw)!r}", "a sum over a set (\\sum_{x \\in M})")
            names = [t.text for t in raw if t.kind == "letter"]
            if not names or any(t.kind not in ("letter",) and t.text != "," for t in raw):
                raise self.fail(f"a sum over {_tok_text(raw)!r}", "a sum over a set or pattern")
            for nm in names:
                if nm not in self.conv.ranges:
                    raise self.fail(f"\\{c}_{nm} without limits and no declared range for {nm}", "needs context: the range of a sum's index",
                                    f'declare it in the context: [ranges] {nm} = "1..K"')
                lo, up = self.conv.ranges[nm]
                limits.append((self.sym(nm), lo, up))
        body = self.sum_body()
        out = body
        for var, lo, up in reversed(limits):
            out = (sp.Sum if c == "sum" else sp.Product)(out, (var, lo, up))
        return out

    def sum_body(self) -> sp.Expr:
        """The term a big operator applies to: the product of factors up to the next + or -."""
        self.enter()
        try:
            factors = [self.factor()]
            while not self._ends_term():
                if self.at("cmd", "cdot") or self.at("cmd", "times"):
                    self.take()
                if self.at("cmd", "otimes") or self.at("cmd", "odot"):
                    self.take()
                    factors[-1] = factors[-1] * self.factor()
                    continue
                if self.at("punct", "*"):
                    raise self.fail("`*` between factors (a convolution in these notes, or a product?)", "a convolution *")
                factors.append(self.factor())
            factors, _ = _inner_products(factors, [False] * len(factors), self)
            factors, _ = self.check_vector_product(factors)
            return sp.Mul(*factors)
        finally:
            self.depth -= 1


def derivative(num: sp.Expr, var: sp.Expr, parser: Parser) -> sp.Expr:
    """∂num/∂var: SymPy's derivative when num is built from known pieces; an opaque quantity
    (an undefined function of var's indices, so sums over them stay sums) when num is an undeclared
    name like a loss ℒ whose dependence on var the line does not show."""
    if not isinstance(var, (sp.Symbol, sp.Indexed)) and not (isinstance(var, sp.Pow) and isinstance(var.base, (sp.Symbol, sp.Indexed))):
        raise parser.fail(f"a derivative with respect to {var}", "a derivative with respect to an expression")
    if parser.conv.definitions:
        # the context's definitions (ℒ = Σ g_i y_i, y_i = γ x̂_i + β, …) written out, all but the
        # variable itself: ∂ℒ/∂σ² holds σ² as a variable, ∂ℒ/∂μ follows σ² = σ²(μ) — the
        # derivatives of the computational graph
        # ∂ℒ/∂v of the loss is total (every path from v to ℒ); ∂x̂_i/∂σ² of a node is the partial
        # of its own formula, the other nodes held fixed (one level of definitions)
        total = isinstance(num, sp.Symbol) and num.name in parser.conv.opaque
        expanded = expand_definitions(num, parser.conv.definitions, keep=var, one_level=not total, layers=parser.conv.layer_superscripts)
        shapes = {len(a.indices) for a in expanded.atoms(sp.Indexed) if isinstance(var, sp.Indexed) and a.base == var.base}
        mixed = bool(shapes - {len(var.indices)}) if isinstance(var, sp.Indexed) else False  # ∂/∂w^l of Σ w_{pq}^l …: matrix vs entries
        if expanded != num and not mixed and not (_bare_names(expanded) & parser.conv.opaque):
            num = expanded
    if isinstance(var, sp.Indexed) and _holds_whole(num, var):
        # ∂(w^T x)/∂w_j of a vector written whole: SymPy would see no w_j in it and answer 0
        raise parser.fail(f"a derivative of {num}, which holds a whole vector or matrix", "a derivative of a whole vector")
    opaque_names = _bare_names(num) & parser.conv.opaque
    if isinstance(num, (sp.Symbol, sp.Indexed)) and (not parser.conv.opaque or _name(num) in parser.conv.opaque or isinstance(num, sp.Indexed)) or opaque_names:
        if isinstance(num, (sp.Symbol, sp.Indexed)) and num == var:
            return sp.Integer(1)
        head = f"∂{_name(num)}/∂{_name(var)}"
        idx = [*_indices(num), *_indices(var)]
        parser.abstract.append(head)
        if not isinstance(num, (sp.Symbol, sp.Indexed)):
            raise parser.fail(f"∂({num})/∂{var} of an undefined quantity", "a derivative of an undefined expression")
        if idx:
            return sp.Function(head)(*idx)
        return sp.Symbol(head)
    bound = {v for s in num.atoms(sp.Sum, sp.Product) for v in s.variables}
    clash = bound & set().union(*(i.free_symbols for i in _indices(var)))
    if clash:
        # ∂(Σ_k w_{jk} a_k)/∂w_{jk}: the summed k is a bound variable, the k of ∂w_{jk} the free one;
        # renaming the bound one (k → k′) changes nothing and keeps the two apart
        num = num.replace(lambda e: isinstance(e, (sp.Sum, sp.Product)) and set(e.variables) & clash,
                          lambda e: e.xreplace({v: sp.Symbol(v.name + "′", integer=True) for v in set(e.variables) & clash}))
        result = sp.diff(num, var)
        result = result.replace(lambda e: isinstance(e, sp.Sum) and e.has(sp.KroneckerDelta), _sum_deltas)
        return _in_range(result, parser)
    if isinstance(var, sp.Pow):
        # ∂/∂(σ²): differentiate with σ² as one variable
        v = sp.Dummy("v")
        return sp.diff(num.xreplace({var: v}), v).xreplace({v: var})
    result = sp.diff(num, var)
    # ∂z^{l+1}_mn/∂z^l_ij inside Σ_p Σ_q: the δ picks p = i − m + 1 where it lies in 1…r, written as an
    # indicator (a Piecewise there would be lifted out of the enclosing Σ_m with m in its condition)
    result = result.replace(lambda e: isinstance(e, sp.Sum) and e.has(sp.KroneckerDelta), lambda e: _sum_deltas(e, step=True))
    return _in_range(result, parser) if result.has(sp.Heaviside) else result


WHOLE_OPERATIONS = ("dot", "matmul", "transpose", "conv", "conv_full", "rot180")  # operations on whole vectors or matrices


def _holds_whole(e: sp.Expr, var: sp.Indexed) -> bool:
    """Does e hold the vector or matrix that `var` is an entry of, written whole (w, w^l with fewer
    indices than the entry w_{jk}^l, or inside an inner or matrix product)? SymPy's derivative by the
    entry would not see it there."""
    label, n = var.base.label, len(var.indices)
    if any(x.base.label == label and len(x.indices) < n for x in e.atoms(sp.Indexed)):
        return True
    labels = {x.base.label for x in e.atoms(sp.Indexed)}
    if label in e.free_symbols - labels:
        return True
    return any(type(f).__name__ in WHOLE_OPERATIONS and label in f.free_symbols
               for f in e.atoms(AppliedUndef))


def _sum_deltas(s: sp.Sum, step: bool = False) -> sp.Expr:
    """Σ_k of a summand with Kronecker deltas: each term with a δ in k is summed (the δ picks k, as
    Sum.doit does); a term without one stays a sum. Sum.doit would also look for closed forms of
    those, which on a batch-norm derivative (∂ℒ/∂x_i of 3.23) costs minutes and decides nothing."""
    zero_sums = lambda e: e.replace(lambda x: isinstance(x, sp.Sum) and x.function == 0, lambda x: sp.S.Zero)  # Σ_k 0 (from diff)
    f = zero_sums(s.function)
    for limit in s.limits:  # innermost first
        k = limit[0]
        has_delta = lambda t, k=k: any(k in d.free_symbols for d in t.atoms(sp.KroneckerDelta))
        out = []
        for top in sp.Add.make_args(sp.expand_mul(f, deep=False)):
            for term in (sp.Add.make_args(sp.expand_mul(top)) if has_delta(top) else (top,)):
                out.append(_pick(term, limit, step) if has_delta(term) else sp.Sum(term, limit))
        f = sp.Add(*out)
    return f


def _pick(term: sp.Expr, limit: tuple[Any, Any, Any], step: bool = False) -> sp.Expr:
    """Σ_{k=lo}^{hi} rest·δ(a, b) with a − b = ±(k − k₀): rest at k = k₀ where lo ≤ k₀ ≤ hi, else 0
    (a Piecewise, or with `step` the integer indicator H(k₀ − lo + ½)·H(hi − k₀ + ½))."""
    from sympy.concrete.delta import deltasummation

    k, lo, hi = limit
    if isinstance(term, sp.Piecewise) and not any(k in c.free_symbols for _, c in term.args):
        # a δ-sum written out one level down (μ_B, σ_B² inside ∂x̂_i′/∂x_i) is a Piecewise in the
        # free index only: Σ_k goes into each branch
        return sp.Piecewise(*[(_sum_deltas(sp.Sum(v, limit), step) if v != 0 else v, c) for v, c in term.args])
    for d in sp.Mul.make_args(term):
        if isinstance(d, sp.KroneckerDelta) and k in d.free_symbols:
            gap = sp.expand(d.args[0] - d.args[1])
            c = gap.coeff(k)
            if c in (1, -1) and k not in (gap - c * k).free_symbols:
                at = -(gap - c * k) / c
                rest = term / d
                # k → k₀ in rest, but not inside a sum that binds its own k (Σ_k x_k of μ_B): those stand aside
                aside = {e: sp.Dummy() for e in rest.atoms(sp.Sum, sp.Product) if k in e.variables}
                rest = rest.xreplace(aside).xreplace({k: at}).xreplace({v: e for e, v in aside.items()})
                if step:
                    half = sp.Rational(1, 2)
                    return rest * sp.Heaviside(at - lo + half) * sp.Heaviside(hi - at + half)
                return sp.Piecewise((rest, sp.And(sp.Le(lo, at), sp.Le(at, hi))), (0, True))
    return deltasummation(term, limit)  # a δ not a plain factor, or not linear in k: SymPy's own


def _at_point(d: sp.Derivative) -> sp.Expr:
    """Derivative(f(x), x) → Subs(Derivative(f(t), t), t, x): the same value, with x a point, not a variable."""
    x = d.variables[0]
    t = sp.Dummy("t")
    return sp.Subs(sp.Derivative(d.expr.xreplace({x: t}), (t, d.variable_count[0][1])), t, x)


def _bare_names(expr: sp.Expr) -> set[str]:
    """Names of the symbols that stand as quantities in expr, not only as an index (the layer L of
    a_j^L is an index; a loss named L is a quantity)."""
    out: set[str] = set()
    todo = [expr]
    while todo:
        e = todo.pop()
        if isinstance(e, sp.Indexed):
            continue
        if isinstance(e, sp.Symbol):
            out.add(e.name)
        elif isinstance(e, sp.Basic):
            todo.extend(e.args)
    return out


def expand_definitions(expr: sp.Expr, definitions: Sequence[tuple[sp.Expr, sp.Expr]], keep: Any = None, rounds: int = 8,
                       one_level: bool = False, layers: Collection[str] = ()) -> sp.Expr:
    """expr with each defined name written out (repeatedly), except the variable `keep` and its family.

    A key is a Symbol (μ_B) or an Indexed (y_i, z_k^{l+1}): its symbol indices match any index, its
    other indices (l+1) and its layer indices (`layers`: l, L) only themselves, so z_k^{l+1} defines
    layer l+1 and never layer l, and a_j^l = σ(z_j^l) defines layer l, never the a_k^{l-1} inside
    z_j^l (written out layer after layer, two sides of a link would stop at different depths).
    When differentiating by x̂_i every x̂_{i′} stays a variable (it may be x̂_i itself)."""
    keep_base = keep.base if isinstance(keep, sp.Pow) else keep
    original = expr.atoms(sp.Indexed) | expr.free_symbols if one_level else None  # only these names are written out
    # σ'(z) is Derivative(σ(z), z): held as σ'(·) at the point z, so z can be written out (SymPy
    # cannot differentiate with respect to a sum)
    expr = expr.replace(lambda e: isinstance(e, sp.Derivative) and len(e.variables) == 1 and isinstance(e.variables[0], sp.Indexed),
                        lambda e: _at_point(e))
    for _ in range(1 if one_level else rounds):
        before = expr
        for key, value in definitions:
            if key == keep_base:
                continue
            if isinstance(key, sp.Symbol):
                if key in expr.free_symbols and (original is None or key in original):
                    expr = expr.xreplace({key: value})
                continue
            slots = [isinstance(i, sp.Symbol) and i.name not in layers for i in key.indices]

            def matches(e: Any, key: sp.Indexed = key, slots: list = slots) -> bool:
                if not (isinstance(e, sp.Indexed) and e.base == key.base and len(e.indices) == len(key.indices)):
                    return False
                if original is not None and e not in original:
                    return False
                if not all(free or a == b for free, a, b in zip(slots, e.indices, key.indices)):
                    return False
                if (isinstance(keep_base, sp.Indexed) and keep_base.base == key.base
                        and all(free or a == b for free, a, b in zip(slots, keep_base.indices, key.indices))):
                    return False  # the key defines the variable's own family (x̂_{i′} may be x̂_i): it stays
                return True

            def put(e: sp.Indexed, key: sp.Indexed = key, slots: list = slots, value: sp.Expr = value) -> sp.Expr:
                bound = {v for s in value.atoms(sp.Sum, sp.Product) for v in s.variables}
                taken = set().union(*(i.free_symbols for i in e.indices))
                fresh = {v: sp.Symbol(v.name + "′", **v.assumptions0) for v in bound & taken}  # keep sums' indices apart
                binding = {k: i for free, k, i in zip(slots, key.indices, e.indices) if free}
                return value.xreplace(fresh).xreplace(binding)

            expr = expr.replace(matches, put)
        if expr == before:
            break
    return expr


def guard(expr: sp.Expr, conv: Conventions) -> None:
    """Refuse a parse that still looks garbled: a symbol named like a LaTeX command or a word."""
    for s in expr.atoms(sp.Symbol):
        name = s.name
        if name.startswith("∂") or isinstance(s, sp.Dummy):  # an opaque derivative the parser built
            continue
        base = name.split("_")[0]
        if "\\" in name or base in REFUSED or base in ("frac", "partial", "sqrt", "left", "right", "cdot", "sum", "prod", "mathcal", "hat", "vec"):
            raise LatexError(f"the parse kept {name!r}, which looks like a LaTeX command", "", "garbled: a command left as a name")
        letters = re.sub(r"[^A-Za-z]", "", base)
        if len(letters) >= 3 and base not in conv.words and base not in GREEK.values() and not base.startswith("cal"):
            raise LatexError(f"the parse kept the word {name!r} as one name", "", "garbled: a word left as a name")
    for f in expr.atoms(sp.Function):
        nm = type(f).__name__
        if nm in REFUSED or "\\" in nm:
            raise LatexError(f"the parse kept the function {nm!r}", "", "garbled: a command left as a function")


# --- helpers ---------------------------------------------------------------------------------------


def _divide(num: sp.Expr, den: sp.Expr) -> sp.Expr:
    if den == 0:
        raise LatexError("a division by zero", "", "division by zero")
    if num.free_symbols & den.free_symbols:
        # kept as written: SymPy would cancel (b-a)/(b-a) and hide where the line is undefined
        return sp.Mul(num, sp.Pow(den, -1, evaluate=False), evaluate=False)
    return num / den


def _fold_dots(terms: list[Any], parser: Parser) -> sp.Expr:
    """`t_1 + t_2 + … + t_n` → Sum(t_k, (k, 1, n)) when the terms follow one indexed pattern."""
    if "…" not in terms:
        return sp.Add(*terms)
    k = terms.index("…")
    if terms.count("…") > 1 or k < 1 or k == len(terms) - 1:
        raise parser.fail("dots … not between terms of one pattern", "dots … (not a sum of indexed terms)")
    first, last = terms[k - 1], terms[k + 1]
    pattern = _pattern(terms[k - 2] if k >= 2 else None, first, last)
    if pattern is None:
        raise parser.fail("dots … whose terms show no index to sum over", "dots … (not a sum of indexed terms)")
    template, dummy, lo, hi = pattern
    head = terms[:max(0, k - 2)] if k >= 2 else terms[:k - 1]
    # check every written term before the dots fits the pattern
    written = terms[max(0, k - 2):k]
    first_index = lo
    for w_i, w in enumerate(written):
        if sp.simplify(template.xreplace({dummy: first_index + w_i}) - w) != 0:
            raise parser.fail("dots … whose written terms do not follow one pattern", "dots … (not a sum of indexed terms)")
    s = sp.Sum(template, (dummy, lo, hi))
    return sp.Add(*head, s, *terms[k + 2:])


def _pattern(t1: Any, t2: Any, last: Any) -> tuple[sp.Expr, sp.Symbol, Any, Any] | None:
    """(template, dummy, lo, hi) with template(lo) = first written term and template(hi) = last."""
    first = t1 if t1 is not None else t2
    idx_first = [a for a in sp.preorder_traversal(first) if isinstance(a, sp.Indexed)]
    idx_last = [a for a in sp.preorder_traversal(last) if isinstance(a, sp.Indexed)]
    if not idx_first or len(idx_first) != len(idx_last):
        return None
    a, b = idx_first[0], idx_last[0]
    for pos, (i, j) in enumerate(zip(a.indices, b.indices)):
        if i.is_Integer and i != j:
            dummy = sp.Symbol("k_", integer=True)

            def swap(e: Any, i: Any = i, dummy: sp.Symbol = dummy) -> Any:
                if isinstance(e, sp.Indexed):
                    return sp.Indexed(e.base, *[dummy if x == i else x for x in e.indices])
                return e.func(*[dummy if x == i else x for x in e.args])  # an opaque ∂A/∂v(index)

            template = first.replace(lambda e, i=i: (isinstance(e, sp.Indexed) and i in e.indices)
                                     or (isinstance(e, AppliedUndef) and type(e).__name__.startswith("∂") and i in e.args), swap)
            if sp.simplify(template.xreplace({dummy: j}) - last) != 0:
                return None
            return template, dummy, i, j
    return None


def _longest_undeclared(word: str, words: set[str]) -> int:
    """The longest run of letters in `word` left after taking out declared words (nVar → n: 1)."""
    longest = run = 0
    i = 0
    while i < len(word):
        hit = next((w for w in sorted(words, key=len, reverse=True) if len(w) > 1 and word.startswith(w, i)), None)
        if hit:
            i += len(hit)
            run = 0
            continue
        run += 1
        longest = max(longest, run)
        i += 1
    return longest


def _derivative_of_call(fn: Any, args: Sequence[sp.Expr]) -> sp.Expr:
    """σ'(z): the derivative of σ at z (a Subs when z is not a plain symbol)."""
    if len(args) != 1:
        raise LatexError("a prime on a function of several arguments", "", "a prime on a non-function")
    z = args[0]
    if isinstance(z, (sp.Symbol, sp.Indexed)):
        return sp.Derivative(fn(z), z)
    t = sp.Dummy("t")
    return sp.Subs(sp.Derivative(fn(t), t), t, z)


class _Transposed:
    """A transposed column vector waiting for the factor it multiplies (u^T v is an inner product)."""

    def __init__(self, base: sp.Expr) -> None:
        self.base = base

    def _alone(self, *_: Any) -> Any:
        raise LatexError("a transpose u^T with no vector after it", "", "a transpose with nothing after it")

    __mul__ = __rmul__ = __neg__ = __add__ = __radd__ = __truediv__ = __rtruediv__ = __pow__ = _alone


def _inner_products(factors: list[Any], divide: list[bool], parser: Parser) -> tuple[list[Any], list[bool]]:
    """u^T v (or u^T · v) → dot(u, v), an opaque inner product; a transpose left over is refused."""
    out, div = [], []
    k = 0
    while k < len(factors):
        f = factors[k]
        if isinstance(f, _Transposed):
            if k + 1 >= len(factors) or isinstance(factors[k + 1], _Transposed) or divide[k + 1]:
                raise parser.fail("a transpose u^T with no vector after it (an outer product?)", "a transpose of a matrix")
            parser.abstract.append("u^T v")
            out.append(sp.Function("dot")(f.base, factors[k + 1]))
            div.append(divide[k])
            k += 2
            continue
        out.append(f)
        div.append(divide[k])
        k += 1
    return out, div


def _in_range(expr: sp.Expr, parser: Parser) -> sp.Expr:
    """Piecewise((a, 1 <= k <= K), (0, True)) → a when k is a free index whose declared range is 1…K."""
    ranges = {parser.sym(n): (sp.sympify(lo) if not isinstance(lo, str) else parser.sym(lo),
                              sp.sympify(hi) if not isinstance(hi, str) else parser.sym(hi)) for n, (lo, hi) in parser.conv.ranges.items()}

    allowed = set()
    for k, (lo, hi) in ranges.items():
        allowed |= {k >= lo, k <= hi, lo <= k, hi >= k}

    def pick(pw: sp.Piecewise) -> sp.Expr:
        value, cond = pw.args[0]
        parts = cond.args if isinstance(cond, sp.And) else (cond,)
        if parts and all(c in allowed for c in parts):  # only "the index lies in its declared range"
            return value
        return pw

    # the same as an integer indicator H(k − lo + ½)·H(hi − k + ½) (latex._sum_deltas with step=True)
    half = sp.Rational(1, 2)
    inside = {arg for k, (lo, hi) in ranges.items() for arg in (k - lo + half, hi - k + half)}
    expr = expr.replace(lambda e: isinstance(e, sp.Heaviside) and e.args[0] in inside, lambda e: sp.S.One)
    return expr.replace(lambda e: isinstance(e, sp.Piecewise), pick)


def _fold_sequence(args: list[Any], parser: Parser) -> list[Any]:
    """`y_1, y_2, …, y_n` among arguments → one opaque sequence seq(y, 1, n)."""
    if "…" not in args:
        return args
    k = args.index("…")
    if k < 1 or k + 1 >= len(args):
        raise parser.fail("dots … in an argument list without terms on both sides", "dots … (not a sequence)")
    first, last = args[k - 1], args[k + 1]
    start = args[k - 2] if k >= 2 else first
    if not (isinstance(start, sp.Indexed) and isinstance(last, sp.Indexed) and start.base == last.base and len(start.indices) == 1):
        raise parser.fail("dots … between arguments that are not y_1, …, y_n", "dots … (not a sequence)")
    head = args[:max(0, k - 2)] if k >= 2 else args[:k - 1]
    return [*head, sp.Function("seq")(start.base.label, start.indices[0], last.indices[0]), *args[k + 2:]]


def _as_arg(a: sp.Expr) -> sp.Expr:
    if isinstance(a, sp.Eq):  # an event "Y = c" of an opaque probability: an opaque function of both sides
        return sp.Function("event")(a.lhs, a.rhs)
    return a


def _fname(name: str, indices: Sequence[sp.Expr]) -> str:
    return name if not indices else f"{name}_{'_'.join(map(str, indices))}"


def _name(e: sp.Expr) -> str:
    if isinstance(e, sp.Indexed):
        return str(e.base.label)
    if isinstance(e, sp.Pow):
        return f"{_name(e.base)}^{e.exp}"
    return str(e)


def _indices(e: sp.Expr) -> list[sp.Expr]:
    if isinstance(e, sp.Indexed):
        return list(e.indices)
    if isinstance(e, sp.Pow):
        return _indices(e.base)
    return []


def _tok_text(raw: Sequence[Tok]) -> str:
    return "".join(("\\" + t.text if t.kind == "cmd" else t.text) for t in raw)


def _label_text(raw: Sequence[Tok]) -> str:
    letters = [t.text for t in raw if t.kind == "letter"]
    return "".join(letters) if letters else _tok_text(raw)


def _cause_of(t: Tok) -> str:
    if t.kind == "cmd" and t.text in REFUSED:
        return REFUSED[t.text]
    if t.kind == "punct" and t.text == "*":
        return "a convolution *"
    if t.kind == "punct" and t.text in ";":
        return "parameters after ';' (f(x; θ))"
    if t.kind == "punct" and t.text == ",":
        return "a list or tuple (a, b)"
    return f"unexpected {t.text!r}"


def _magnitude(value: sp.Expr) -> float | None:
    if not getattr(value, "is_number", False):
        return None
    try:
        return abs(float(value))
    except (TypeError, ValueError, OverflowError):
        return float("inf")


def parse_latex(text: str, conv: Conventions | None = None, symbol: Callable[[str], sp.Symbol] | None = None) -> Parsed:
    """The SymPy expression of one chain member (LaTeX), or LatexError saying why not."""
    return Parser(text, conv or Conventions(), symbol).parse()
