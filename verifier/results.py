"""Results are data: per-link results, errata, per-claim results and a summary that adds up."""
from __future__ import annotations

import re
import sys
from enum import StrEnum
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

class Verdict(StrEnum):
    """The pinned verdict words; each member is equal to its word ("proved" == Verdict.PROVED)."""

    PROVED = "proved"  # a proof, under the condition its strategy states
    CHECKED = "checked"  # evidence confirmed at high precision, not a proof
    REFUTED = "refuted"  # an exact or 50-digit witness
    INCONCLUSIVE = "inconclusive"  # not settled, with the reason (a timeout among them)
    ERROR = "error"  # the claim or a line could not be verified as written


VERDICTS = tuple(v.value for v in Verdict)
FAILING = ("refuted", "inconclusive", "error")  # verdicts that do not support a claim built on them

# A number longer than this many digits is shown as its leading digits, "…" and its digit count:
# a 6000-digit witness is unreadable, and Python refuses to print ints over 4300 digits at all.
MAX_DIGITS_SHOWN = 40
LEADING_DIGITS = 5
_EXACT_DIGITS = 40_000  # up to here the digit count is computed exactly (decimal); beyond, by logarithms
_LONG_RUN = re.compile(r"(?<![\d.])(\d{%d,})" % (MAX_DIGITS_SHOWN + 1))  # integer digit runs, not decimals


def short_number(value: Any, memo: dict | None = None) -> str:
    """`value` as text for a report, integers over MAX_DIGITS_SHOWN digits shortened ("39802…(6021 digits)"); never raises.
    `memo`, if given, keeps the text of each SymPy subexpression for the next call (the lines of a
    claim share theirs: half the time of printing a claim's lines)."""
    # Takes Python ints, SymPy objects (numbers or whole expressions), strings (long digit runs in
    # them are shortened) and anything else with a str().
    try:
        if isinstance(value, str):
            return _LONG_RUN.sub(lambda m: _short_digits(int(m.group(1))), value) if len(value) > MAX_DIGITS_SHOWN else value
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return _short_int(value)
        sympy = sys.modules.get("sympy")  # a SymPy object implies SymPy is loaded: never import it here
        if sympy is not None and isinstance(value, sympy.Basic):
            return _short_sympy(value, memo)
        from fractions import Fraction

        if isinstance(value, Fraction):
            if value.denominator == 1:
                return _short_int(value.numerator)
            return f"{_short_int(value.numerator)}/{_short_int(value.denominator)}"
        return short_number(str(value))
    except ValueError as exc:  # a huge int inside some other object (the int → str limit)
        if "integer string conversion" in str(exc):
            return f"<a {type(value).__name__} too large to print>"
        return f"<a {type(value).__name__} that cannot be printed: ValueError>"
    except Exception as exc:  # a report must never fail on a value it shows
        return f"<a {type(value).__name__} that cannot be printed: {type(exc).__name__}>"


def _short_int(n: int) -> str:
    if n.bit_length() <= 3 * MAX_DIGITS_SHOWN:  # at most 37 digits: printed as it is
        return str(n)
    return _short_digits(n)


def _short_digits(n: int) -> str:
    """n as its sign, leading digits, "…" and its digit count, without str(n) (bounded cost)."""
    sign, n = ("-", -n) if n < 0 else ("", n)
    if n.bit_length() <= _EXACT_DIGITS * 10 // 3:
        from decimal import Decimal

        digits = Decimal(n).as_tuple().digits  # exact, and free of the int → str limit
        if len(digits) <= MAX_DIGITS_SHOWN:
            return sign + "".join(map(str, digits))
        return f"{sign}{''.join(map(str, digits[:LEADING_DIGITS]))}…({len(digits)} digits)"
    # Exact decimal conversion grows quadratically: from here on, logarithms at 60 digits.
    import mpmath

    shift = n.bit_length() - 256  # the top 256 bits carry far more than the digits shown
    with mpmath.workdps(60):
        log = mpmath.log10(mpmath.mpf(n >> shift)) + shift * mpmath.log10(2)
        count = int(mpmath.floor(log)) + 1
        lead = str(int(mpmath.floor(mpmath.power(10, log - count + LEADING_DIGITS))))
        near = min(log - mpmath.floor(log), mpmath.ceil(log) - log) < mpmath.mpf(10) ** -40
    about = "about " if near or len(lead) != LEADING_DIGITS else ""  # a hair from a power of ten
    return f"{sign}{lead[:LEADING_DIGITS]}…({about}{count} digits)"


_PRINTER: Any = None


def _short_sympy(expr: Any, memo: dict | None = None) -> str:
    """SymPy's str() of expr with long integers shortened (and never the int → str limit); `memo`,
    if given, keeps the text of each subexpression for the next call."""
    global _PRINTER
    if _PRINTER is None:
        from sympy.printing.str import StrPrinter

        from .printing import MemoPrinting

        class _ShortPrinter(MemoPrinting, StrPrinter):
            def _print_Integer(self, expr: Any) -> str:
                return _short_int(int(expr.p))

            def _print_int(self, expr: int) -> str:
                return _short_int(expr)

            def _print_Rational(self, expr: Any) -> str:
                if expr.q == 1:
                    return _short_int(int(expr.p))
                return f"{_short_int(int(expr.p))}/{_short_int(int(expr.q))}"

        _PRINTER = _ShortPrinter({"order": None})
    if memo is None:
        return _PRINTER.doprint(expr)
    printer = type(_PRINTER)({"order": None})
    printer._memo = memo
    return printer.doprint(expr)

# How a claim's verdict follows from its lines' verdicts: the worst one wins, in this order.
_SEVERITY = {"proved": 0, "checked": 1, "inconclusive": 2, "refuted": 3, "error": 4}


def worst(verdicts: list[str]) -> str:
    """The verdict of a whole made of parts with these verdicts (never rounded up)."""
    return max(verdicts, key=_SEVERITY.__getitem__) if verdicts else "proved"


@dataclass(frozen=True)
class Counterexample:
    """Concrete values where two lines differ, with both sides, replayed exactly or at 50 digits."""

    values: tuple[tuple[str, str], ...]
    lhs: str
    rhs: str
    difference: str
    exact: bool = True
    realization: str = ""  # e.g. the concrete distribution or function that realizes the values
    relation: str = "="  # the relation that fails here: previous line `relation` this line

    def __post_init__(self) -> None:
        # Every field is text a person reads: raw values become text and long numbers are
        # shortened, so a 6000-digit witness can neither crash a report nor flood it.
        object.__setattr__(self, "values", tuple((short_number(k), short_number(v)) for k, v in self.values))
        for name in ("lhs", "rhs", "difference", "realization"):
            object.__setattr__(self, name, short_number(getattr(self, name)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out = asdict(self)
        out["values"] = dict(self.values)
        return out

    def __str__(self) -> str:
        vals = ", ".join(f"{k} = {v}" for k, v in self.values)
        where = f" with {self.realization}" if self.realization else ""
        at = f"at {vals}{where}" if vals else f"everywhere{where}"
        if self.lhs == "undefined" or not (self.lhs or self.rhs):  # a finding, or a case of a statement: the difference says why
            return f"{at}: {self.difference}" if self.difference else at
        if self.relation not in ("=", "≈"):
            return f"{at}: {self.lhs} {self.relation} {self.rhs} is false (difference {self.difference})"
        return f"{at}: {self.lhs} ≠ {self.rhs} (difference {self.difference})"


@dataclass(frozen=True)
class LinkResult:
    """The verdict on one line: does line `index` follow from the line before it?"""

    index: int
    verdict: Verdict
    method: str
    detail: str = ""
    seconds: float = 0.0
    counterexample: Counterexample | None = None
    points: int = 0
    worst_error: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdict", Verdict(self.verdict))  # a word outside the five is a bug: ValueError

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (index, verdict, method first: the pinned fields)."""
        out: dict[str, Any] = {"index": self.index, "verdict": self.verdict, "method": self.method}
        out["detail"] = self.detail
        out["seconds"] = round(self.seconds, 4)
        if self.points:
            out["points"] = self.points
        if self.worst_error is not None:
            out["worst_error"] = self.worst_error
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample.to_dict()
        return out


@dataclass(frozen=True)
class Erratum:
    """A wrong line: where it is, what it says, what it should say, and a witness."""

    claim_id: str
    equation: str | None
    section: str | None
    step: int
    as_written: str
    corrected: str | None
    correction_verdict: str | None
    kind: str  # "isolated" (the chain recovers) or "propagates" (the conclusion is wrong too)
    counterexample: Counterexample | None
    as_written_latex: str = ""
    corrected_latex: str = ""
    suggestion: str | None = None  # the smallest edit found that makes the line hold (verified)
    suggestion_edit: str | None = None
    suggestion_verdict: str | None = None
    suggestion_matches: bool | None = None  # does the suggestion equal the hand-written correction?

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with the pinned field names."""
        return {
            "claim": self.claim_id,
            "equation": self.equation,
            "section": self.section,
            "step": self.step,
            "as_written": self.as_written,
            "corrected": self.corrected,
            "correction_verdict": self.correction_verdict,
            "kind": self.kind,
            "counterexample": self.counterexample.to_dict() if self.counterexample else None,
            "suggestion": self.suggestion,
            "suggestion_edit": self.suggestion_edit,
            "suggestion_verdict": self.suggestion_verdict,
            "suggestion_matches": self.suggestion_matches,
        }


@dataclass(frozen=True)
class ClaimResult:
    """Everything `verify` established about one claim."""

    id: str
    equation: str | None
    section: str | None
    title: str
    verdict: Verdict
    method: str
    seconds: float
    steps: tuple[LinkResult, ...]
    errata: tuple[Erratum, ...] = ()
    seed: int = 0
    scope: str = ""
    message: str = ""
    source: str = ""
    lines: tuple[str, ...] = field(default=(), repr=False)  # each line as text (verifier.present: made for the reports that print it)
    uses: tuple[str, ...] = ()
    latex: tuple[str, ...] = field(default=(), repr=False)  # each line as LaTeX (the printed form when given)
    mathml: tuple[str, ...] = field(default=(), repr=False)  # each line as presentation MathML, for HTML
    cached: bool = False  # True when read back from the result cache instead of recomputed
    pretty: tuple[str, ...] = field(default=(), repr=False)  # each line as 2-D unicode math ("" when too big)
    relations: tuple[str, ...] = ()  # how each line relates to the one before ("=", "<=", "≈", …; "" for line 0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdict", Verdict(self.verdict))

    def relation(self, i: int) -> str:
        """The relation printed before line i ("" for line 0)."""
        if i == 0:
            return ""
        return self.relations[i] if i < len(self.relations) else "="

    @property
    def holds(self) -> bool:
        """True when the claim was proved or checked."""
        return self.verdict in ("proved", "checked")

    @property
    def line_verdicts(self) -> tuple[str | None, ...]:
        """The verdict of each line: None for line 0 when it is the given (a code line settled there
        has its own); a line that is an erratum is refuted, whatever the link into it said."""
        links = {s.index: s.verdict for s in self.steps}
        wrong = {e.step for e in self.errata}
        count = max(len(self.lines), len(self.relations), max(links, default=-1) + 1)
        return tuple("refuted" if i in wrong else links.get(i) for i in range(count))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with the pinned field names first."""
        out = {
            "id": self.id,
            "equation": self.equation,
            "section": self.section,
            "title": self.title,
            "verdict": self.verdict,
            "method": self.method,
            "seconds": round(self.seconds, 4),
            "steps": [s.to_dict() for s in self.steps],
            "errata": [e.to_dict() for e in self.errata],
        }
        out["line_verdicts"] = list(self.line_verdicts)
        if self.scope:
            out["scope"] = self.scope
        if self.message:
            out["message"] = self.message
        out["uses"] = list(self.uses)
        out["source"] = self.source
        out["cached"] = self.cached
        return out


def undermined(results: Sequence[ClaimResult]) -> dict[str, tuple[str, ...]]:
    """Claim id → the claims of this run that it rests on (through `uses`, at any depth) and that do
    not hold (refuted, inconclusive, error). A claim absent from the map is not undermined; claims
    named in `uses` but not verified in this run count as neither holding nor failing."""
    by_id = {r.id: r for r in results}
    memo: dict[str, frozenset[str]] = {}

    def failing_below(claim_id: str, path: frozenset[str]) -> frozenset[str]:
        if claim_id in memo:
            return memo[claim_id]
        found: set[str] = set()
        for used in by_id[claim_id].uses if claim_id in by_id else ():
            if used not in by_id:
                continue
            if by_id[used].verdict in FAILING:
                found.add(used)
            if used not in path:  # a cycle (a malformed catalogue) is cut where it closes
                found |= failing_below(used, path | {used})
        memo[claim_id] = frozenset(found)
        return memo[claim_id]

    out = {}
    for r in results:
        below = failing_below(r.id, frozenset({r.id}))
        if below:
            order = {x.id: i for i, x in enumerate(results)}
            out[r.id] = tuple(sorted(below, key=order.__getitem__))
    return out


@dataclass(frozen=True)
class Summary:
    """Counts of verdicts over a run; adds up with +."""

    proved: int = 0
    checked: int = 0
    refuted: int = 0
    inconclusive: int = 0
    error: int = 0
    seconds: float = 0.0
    seed: int = 0

    @classmethod
    def of(cls, results: list[ClaimResult], seconds: float, seed: int) -> Summary:
        """Count the verdicts of these results."""
        counts = {v: 0 for v in VERDICTS}
        for r in results:
            counts[r.verdict] += 1
        return cls(**counts, seconds=seconds, seed=seed)

    def __add__(self, other: Summary) -> Summary:
        return Summary(
            *(getattr(self, v) + getattr(other, v) for v in VERDICTS),
            seconds=self.seconds + other.seconds,
            seed=self.seed,
        )

    @property
    def exit_code(self) -> int:
        """0 all hold, 1 errata found, 3 something inconclusive or an internal error."""
        if self.error or self.inconclusive:
            return 3
        if self.refuted:
            return 1
        return 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out = asdict(self)
        out["seconds"] = round(self.seconds, 3)
        return out
