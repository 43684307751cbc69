"""User text → SymPy, through a whitelist: `verify check "(x+1)**2" "x**2+2*x+1" --where "x: (-oo, oo)"`.

The text is parsed with Python's `ast` module and SymPy objects are built directly from the
allowed nodes; nothing is ever evaluated as Python (no eval, exec, sympify or parse_expr).

Allowed: numbers (`2`, `0.1` = 1/10 exactly, `1e-3`), names (each becomes a Symbol), the
constants `pi`, `E` (Euler's number) and `oo`, the operators `+ - * / **` and unary `-`, and
calls with positional arguments to the functions in `FUNCTIONS`. Everything else is refused
with an `UnsafeInputError` that names what was refused and what to write instead.

The text is plain ASCII: names are ASCII letters, digits and `_`, and Greek letters are written
by name (`alpha`, `sigma`, `lamda`: SymPy prints them as α, σ, λ). Any other character is refused
by name, never folded: Python would read a full-width `ｘ` as `x` and a mathematical `𝐸` as `E`.

    >>> parse_expression("(x + 1)**2 / 2")
    (x + 1)**2/2
    >>> parse_domain("n: integer (1, 10)")
    (n, (1, 10))
"""
from __future__ import annotations

import ast
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sympy as sp

from .claim import Claim, Step
from .errors import ClaimError, UnsafeInputError

MAX_LENGTH = 2000  # characters of one expression
MAX_DEPTH = 50  # nesting of parentheses, calls, powers and signs (a long sum x + y + … is flat)
MAX_EXPONENT = 1000  # |exponent| of a power whose exponent is a number
MAX_DIGITS = 10_000  # decimal digits of an exact number built from literals (powers, factorials)
MAX_ARGUMENT = 1000  # |numeric argument| of factorial, binomial and gamma (they evaluate eagerly)

# name → (SymPy function, allowed numbers of positional arguments)
FUNCTIONS: Mapping[str, tuple[Callable[..., sp.Expr], tuple[int, ...]]] = {
    "sin": (sp.sin, (1,)), "cos": (sp.cos, (1,)), "tan": (sp.tan, (1,)),
    "asin": (sp.asin, (1,)), "acos": (sp.acos, (1,)), "atan": (sp.atan, (1,)),
    "sinh": (sp.sinh, (1,)), "cosh": (sp.cosh, (1,)), "tanh": (sp.tanh, (1,)),
    "exp": (sp.exp, (1,)), "log": (sp.log, (1, 2)), "sqrt": (sp.sqrt, (1,)), "Abs": (sp.Abs, (1,)),
    "factorial": (sp.factorial, (1,)), "binomial": (sp.binomial, (2,)), "gamma": (sp.gamma, (1,)),
    "floor": (sp.floor, (1,)), "ceiling": (sp.ceiling, (1,)),
}
CONSTANTS: Mapping[str, sp.Expr] = {"pi": sp.pi, "E": sp.E, "oo": sp.oo}
_EAGER = ("factorial", "binomial", "gamma")  # evaluate at once on numbers: bound their arguments

ALLOWED = "numbers, names, + - * / **, unary -, pi, E, oo and calls to " + ", ".join(FUNCTIONS)
_HINT = f"allowed: {ALLOWED}"

# What each refused node is called in a message, and the fix when there is a specific one.
_REFUSED: Mapping[type, tuple[str, str]] = {
    ast.Attribute: ("attribute access", _HINT),
    ast.Subscript: ("a subscript", "write indexed quantities as plain names, e.g. x1 or x_1"),
    ast.Lambda: ("a lambda", _HINT),
    ast.ListComp: ("a comprehension", _HINT),
    ast.SetComp: ("a comprehension", _HINT),
    ast.DictComp: ("a comprehension", _HINT),
    ast.GeneratorExp: ("a comprehension", _HINT),
    ast.List: ("a list", "give each line of a chain as its own argument"),
    ast.Tuple: ("a tuple", "give each line of a chain as its own argument"),
    ast.Set: ("a set", _HINT),
    ast.Dict: ("a dict", _HINT),
    ast.Compare: ("a comparison", "give the two sides as separate arguments (and --rel for an inequality)"),
    ast.BoolOp: ("a boolean operator", _HINT),
    ast.IfExp: ("a conditional expression", _HINT),
    ast.NamedExpr: ("an assignment expression", _HINT),
    ast.JoinedStr: ("a string", _HINT),
    ast.Starred: ("a starred argument", _HINT),
    ast.Slice: ("a slice", _HINT),
    ast.Await: ("await", _HINT),
}
_BINARY: Mapping[type, str] = {
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitXor: "^", ast.BitOr: "|",
    ast.BitAnd: "&", ast.LShift: "<<", ast.RShift: ">>",
}
_UNARY: Mapping[type, str] = {ast.Not: "not", ast.Invert: "~"}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def parse_expression(text: str, names: Mapping[str, sp.Symbol] | None = None) -> sp.Expr:
    """The SymPy expression `text` denotes; names in `names` map to those Symbols, others to new ones.

    Raises UnsafeInputError for anything outside the whitelist (see the module docstring).
    """
    _check_length(text, "expression")
    _check_characters(text, "")
    tree = _parse(text, "eval")
    builder = _Builder(text, dict(names or {}))
    expr = builder.build(tree.body, 1)
    return _check_value(expr, text)


def parse_domain(text: str) -> tuple[sp.Symbol, tuple[sp.Expr, sp.Expr]]:
    """`"p: (0, 1)"` → (p, (0, 1)): reals in the open interval; `"n: integer (1, 10)"` → integers 1…10.

    Bounds are numbers (ints, decimals, fractions like 1/3, pi, -oo, oo) built by the same whitelist.
    """
    _check_length(text, "domain")
    _check_characters(text, "domain")
    name, sep, rest = text.partition(":")
    name, rest = name.strip(), rest.strip()
    form = 'write NAME: (lo, hi), e.g. --where "x: (-oo, oo)" or --where "n: integer (1, 10)"'
    if not sep or not name or not rest:
        raise UnsafeInputError(f"domain {_quote(text)} is not of the form NAME: (lo, hi)", form)
    if not _NAME.match(name):
        raise UnsafeInputError(f"domain {_quote(text)}: {_quote(name)} is not a name", "a name is a letter followed by letters, digits or _")
    if name in CONSTANTS or name == "I":
        raise UnsafeInputError(f"domain {_quote(text)}: {name} is a constant, not a variable", "choose another name for the variable")
    integer = False
    for word in ("integer", "real"):
        if rest.startswith(word) and not rest[len(word):len(word) + 1].isalnum():
            integer, rest = word == "integer", rest[len(word):].strip()
            break
    if not rest:
        raise UnsafeInputError(f"domain {_quote(text)} is not of the form NAME: (lo, hi)", form)
    tree = _parse(rest, "eval", what=f"domain {_quote(text)}", hint=form)
    if not isinstance(tree.body, ast.Tuple) or len(tree.body.elts) != 2:
        raise UnsafeInputError(f"domain {_quote(text)}: the bounds must be a pair (lo, hi)", form)
    builder = _Builder(rest, {})
    bounds = []
    for node in tree.body.elts:
        try:
            bound = _check_value(builder.build(node, 2), _segment(rest, node))
        except UnsafeInputError as exc:
            raise UnsafeInputError(f"domain {_quote(text)}: {exc.problem}", exc.hint) from None
        if bound.free_symbols or not (bound.is_extended_real and (bound.is_number or bound in (sp.oo, -sp.oo))):
            raise UnsafeInputError(f"domain {_quote(text)}: bound {_quote(_segment(rest, node))} is not a real number", "bounds are numbers like 0, -1/3, 2.5, pi, -oo, oo")
        bounds.append(bound)
    lo, hi = bounds
    if not (lo < hi or (integer and lo == hi)):
        raise UnsafeInputError(f"domain {_quote(text)} is empty", "give the lower bound first")
    return sp.Symbol(name, integer=True) if integer else sp.Symbol(name), (lo, hi)


def check_claim(texts: Sequence[str], where: Sequence[str] = (), rel: str = "=") -> Claim:
    """A `verifier.Claim` with id "check" for the chain `texts[0] = texts[1] = …` on the `where` domains."""
    if len(texts) < 2:
        raise ClaimError(
            f"`verify check` needs at least two expressions, got {len(texts)}",
            'e.g. verify check "(x+1)**2" "x**2+2*x+1" --where "x: (-oo, oo)"',
        )
    domain: dict[sp.Symbol, tuple[sp.Expr, sp.Expr]] = {}
    names: dict[str, sp.Symbol] = {}
    for spec in where:
        sym, bounds = parse_domain(spec)
        if sym.name in names:
            raise UnsafeInputError(f"--where gives {sym.name} twice", f"keep one --where for {sym.name}")
        names[sym.name] = sym
        domain[sym] = bounds
    exprs = []
    for i, text in enumerate(texts):
        try:
            exprs.append(parse_expression(text, names))
        except UnsafeInputError as exc:
            raise UnsafeInputError(f"line {i}: {exc.problem}", exc.hint) from None
    free = sorted({s for e in exprs for s in e.free_symbols} - set(domain), key=lambda s: s.name)
    if free:
        listed = ", ".join(s.name for s in free)
        raise ClaimError(
            f"free symbol{'s' if len(free) > 1 else ''} {listed} without a domain",
            " ".join(f'--where "{s.name}: (-oo, oo)"' for s in free) + ' (or the interval it lives in, e.g. "(0, 1)", "integer (1, 10)")',
        )
    steps = [Step(e, rel="=" if i == 0 else rel) for i, e in enumerate(exprs)]
    return Claim("check", steps, domain=domain, title="identity from the command line", source="command line")


# --- internals ------------------------------------------------------------------------------------


def _check_length(text: Any, what: str) -> None:
    if not isinstance(text, str):
        raise UnsafeInputError(f"{what} must be a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise UnsafeInputError(f"{what} is {len(text)} characters long (limit {MAX_LENGTH})", "check a shorter identity, or split a chain into lines")
    if not text.strip():
        raise UnsafeInputError(f"{what} is empty", 'e.g. "(x+1)**2"')


def _parse(text: str, mode: str, what: str = "", hint: str = "write arithmetic like (x + 1)**2 / 2 - sin(x)") -> ast.Expression:
    try:
        return ast.parse(text.strip(), mode=mode)
    except SyntaxError as exc:
        where = what or f"expression {_quote(text)}"
        raise UnsafeInputError(f"cannot parse {where}: {exc.msg}", hint) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
        where = what or f"expression {_quote(text)}"
        raise UnsafeInputError(f"cannot parse {where}: {exc}", hint) from None


# Look-alikes a person types for ASCII operators; NFKC would fold ² to 2, so these come first.
_TYPED_FOR = {"²": "**2", "³": "**3", "−": "-", "–": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "∞": "oo", "√": "sqrt(…)"}


def _check_characters(text: str, what: str) -> None:
    """Refuse any character that is not plain ASCII, naming it: Python would silently NFKC-fold ｘ to x and 𝐸 to E."""
    for ch in text:
        if ch.isascii():
            continue
        name = unicodedata.name(ch, "an unnamed character")
        folded = unicodedata.normalize("NFKC", ch)
        greek = unicodedata.name(folded, "") if len(folded) == 1 else ""
        if ch in _TYPED_FOR:
            hint = f"write {_TYPED_FOR[ch]} instead"
        elif greek.startswith("GREEK") and " LETTER " in greek:
            word = [w for w in greek.split(" LETTER ", 1)[1].split() if w != "FINAL"][0].lower()
            spelled = word.capitalize() if "CAPITAL" in greek else word
            hint = f"write Greek letters by name, e.g. {spelled} (names are ASCII: letters, digits and _)"
        elif folded.isascii() and folded.strip():
            hint = f"type the plain ASCII {folded!r} instead"
            if folded == "E":  # the look-alike the parser would have read as Euler's number
                hint += " (E is Euler's number: a variable needs another name)"
        elif ch.isspace():
            hint = "type a plain space instead"
        elif unicodedata.category(ch) == "Cf":
            hint = "delete it (an invisible formatting character)"
        else:
            hint = "expressions are plain ASCII: names like x1, numbers, + - * / ** and parentheses"
        problem = f"refused the character {ch!r} (U+{ord(ch):04X} {name})"
        raise UnsafeInputError(f"{what} {_quote(text)}: {problem}" if what else f"{problem} in {_quote(text)}", hint)


def _check_value(expr: sp.Expr, text: str) -> sp.Expr:
    if expr.has(sp.zoo, sp.nan):
        raise UnsafeInputError(f"{_quote(text)} is undefined (a division by zero?)", "check the denominators")
    if expr.has(sp.I):
        raise UnsafeInputError(f"{_quote(text)} is not real (it involves sqrt(-1))", "verify checks real identities only")
    return expr


def _quote(text: str, limit: int = 40) -> str:
    text = text.strip()
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _segment(text: str, node: ast.AST) -> str:
    return ast.get_source_segment(text.strip(), node) or type(node).__name__


def _digits(bits: float) -> int:
    return int(bits * math.log10(2)) + 1


class _Builder:
    """Builds SymPy objects from a whitelisted AST, bounding depth and the size of exact numbers."""

    def __init__(self, text: str, names: dict[str, sp.Symbol]) -> None:
        self.text = text
        self.names = names

    def refuse(self, what: str, node: ast.AST, hint: str = _HINT) -> UnsafeInputError:
        """`refused attribute access in 'x.__class__'`, with the fix as the hint."""
        return UnsafeInputError(f"refused {what} in {_quote(_segment(self.text, node))}", hint)

    def build(self, node: ast.AST, depth: int) -> sp.Expr:
        if depth > MAX_DEPTH:
            raise UnsafeInputError(f"expression nested more than {MAX_DEPTH} levels deep", "simplify the nesting or split the identity into lines")
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            what, hint = _REFUSED.get(type(node), (type(node).__name__, _HINT))
            raise self.refuse(what, node, hint)
        return method(node, depth)

    def _Constant(self, node: ast.Constant, depth: int) -> sp.Expr:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise self.refuse(f"the constant {value!r}", node)
        if isinstance(value, int):
            return sp.Integer(value)
        if isinstance(value, float):
            literal = _segment(self.text, node).replace("_", "")
            mantissa, _, exponent = literal.lower().partition("e")
            if exponent and abs(int(exponent)) > MAX_DIGITS:
                raise UnsafeInputError(f"number {_quote(literal)} is too large (more than {MAX_DIGITS} digits)", "use a smaller number")
            return sp.Rational(literal)  # 0.1 is one tenth, not its binary neighbour
        if isinstance(value, complex):
            raise self.refuse("a complex number", node, "verify checks real identities only")
        raise self.refuse("a string", node, _HINT)

    def _Name(self, node: ast.Name, depth: int) -> sp.Expr:
        name = node.id
        if name.startswith("_"):
            raise self.refuse(f"the name {name}", node, "names start with a letter")
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name == "I":
            raise self.refuse("the imaginary unit I", node, "verify checks real identities only; use another name for a variable")
        if not _NAME.match(name):
            raise self.refuse(f"the name {name}", node, "names are ASCII letters, digits and _")
        if name not in self.names:
            self.names[name] = sp.Symbol(name)
        return self.names[name]

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> sp.Expr:
        if isinstance(node.op, ast.USub):
            return -self.build(node.operand, depth + 1)
        if isinstance(node.op, ast.UAdd):
            return self.build(node.operand, depth + 1)
        raise self.refuse(f"the operator {_UNARY.get(type(node.op), type(node.op).__name__)}", node)

    def _BinOp(self, node: ast.BinOp, depth: int) -> sp.Expr:
        # A left-leaning chain of + - (or * /) is one flat sum (product): it does not add depth.
        group = (ast.Add, ast.Sub) if isinstance(node.op, (ast.Add, ast.Sub)) else (ast.Mult, ast.Div)
        if not isinstance(node.op, (ast.Pow, *group)):
            symbol = _BINARY.get(type(node.op), type(node.op).__name__)
            hint = "use ** for powers" if symbol == "^" else _HINT
            raise self.refuse(f"the operator {symbol}", node, hint)
        if isinstance(node.op, ast.Pow):
            return self._power(node, depth)
        chain: list[tuple[ast.operator, ast.AST]] = []
        left: ast.AST = node
        while isinstance(left, ast.BinOp) and isinstance(left.op, group):
            chain.append((left.op, left.right))
            left = left.left
        value = self.build(left, depth + 1)
        for op, right in reversed(chain):
            other = self.build(right, depth + 1)
            if isinstance(op, ast.Add):
                value = value + other
            elif isinstance(op, ast.Sub):
                value = value - other
            elif isinstance(op, ast.Mult):
                value = value * other
            elif other.free_symbols and value.free_symbols & other.free_symbols:
                # Kept as written: SymPy would cancel floor(x)/floor(x) to 1, hiding where it is undefined.
                value = sp.Mul(value, sp.Pow(other, -1, evaluate=False), evaluate=False)
            else:
                value = value / other
            self._bound_size(value, node)
        return value

    def _power(self, node: ast.BinOp, depth: int) -> sp.Expr:
        base = self.build(node.left, depth + 1)
        exponent = self.build(node.right, depth + 1)
        if exponent.is_number:
            size = _magnitude(exponent)
            if size is not None and size > MAX_EXPONENT:
                raise UnsafeInputError(
                    f"power {_quote(_segment(self.text, node))} has an exponent of about {_short(size)} (limit {MAX_EXPONENT})",
                    "use a smaller exponent",
                )
            if base.is_Rational and exponent.is_Rational and base != 0:
                bits = max(abs(base.p).bit_length(), base.q.bit_length()) * abs(float(exponent))
                if _digits(bits) > MAX_DIGITS:
                    raise UnsafeInputError(
                        f"power {_quote(_segment(self.text, node))} would have about {_digits(bits)} digits (limit {MAX_DIGITS})",
                        "use smaller numbers",
                    )
        return base**exponent

    def _Call(self, node: ast.Call, depth: int) -> sp.Expr:
        func = node.func
        if not isinstance(func, ast.Name):
            raise self.refuse("a call of something other than a function name", node)
        if func.id in CONSTANTS:
            hint = "for e**x write exp(x)" if func.id == "E" else "write * for a product, e.g. pi*(x + 1)"
            raise UnsafeInputError(f"{func.id} is a constant, not a function: {_quote(_segment(self.text, node))}", hint)
        if func.id not in FUNCTIONS:
            raise UnsafeInputError(
                f"unknown function {func.id!r} in {_quote(_segment(self.text, node))}",
                "functions allowed: " + ", ".join(FUNCTIONS) + "; write * for a product, e.g. x*(y + 1)",
            )
        if node.keywords:
            raise self.refuse("keyword arguments", node, "give the arguments by position")
        fn, arities = FUNCTIONS[func.id]
        if len(node.args) not in arities:
            takes = " or ".join(map(str, arities))
            raise UnsafeInputError(
                f"{func.id} takes {takes} argument{'s' if arities != (1,) else ''}, got {len(node.args)} in {_quote(_segment(self.text, node))}",
                _HINT,
            )
        args = [self.build(a, depth + 1) for a in node.args]
        if func.id in _EAGER:
            for a in args:
                size = _magnitude(a) if a.is_number else None
                if size is not None and size > MAX_ARGUMENT:
                    raise UnsafeInputError(
                        f"{func.id} of about {_short(size)} in {_quote(_segment(self.text, node))} is too large (limit {MAX_ARGUMENT})",
                        "use a smaller argument",
                    )
        if fn is sp.log and len(args) == 2 and args[1].is_number and (args[1] == 1 or args[1].is_nonpositive):
            return sp.log(*args, evaluate=False)  # log(x, 0) stays a log of base 0 (undefined), not 0
        return fn(*args)

    def _bound_size(self, value: sp.Expr, node: ast.AST) -> None:
        if value.is_Rational:
            bits = max(abs(value.p).bit_length(), value.q.bit_length())
            if _digits(bits) > MAX_DIGITS:
                raise UnsafeInputError(
                    f"{_quote(_segment(self.text, node))} would have about {_digits(bits)} digits (limit {MAX_DIGITS})",
                    "use smaller numbers",
                )


def _magnitude(value: sp.Expr) -> float | None:
    """|value| as a float (inf when huge), or None when it has no real size (oo is left to SymPy)."""
    if value.is_Rational:
        try:
            return abs(float(value))
        except OverflowError:
            return math.inf
    if value.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        return None
    try:
        number = complex(value.evalf(15))
    except (TypeError, ValueError, OverflowError):
        return None
    return abs(number)


def _short(size: float) -> str:
    if size == math.inf:
        return "10**(a lot)"
    if size >= 1e6:
        return f"10**{int(math.log10(size))}"
    return f"{size:g}"
