"""Numbers shown in counterexamples and reports: long ones shortened, never the int → str limit."""
import json
import sys
from fractions import Fraction

import pytest
import sympy as sp

from verifier.report import FORMATS, render
from verifier.results import MAX_DIGITS_SHOWN, ClaimResult, Counterexample, Erratum, LinkResult, Summary, short_number

BIG = 2**20000  # 6021 digits: over Python's 4300-digit limit for str(int)


@pytest.mark.parametrize(
    "value,shown",
    [
        (12345, "12345"),
        (-7, "-7"),
        (10**39, "1" + "0" * 39),  # 40 digits: still shown in full
        (10**40, "10000…(41 digits)"),
        (BIG, "39802…(6021 digits)"),
        (-BIG, "-39802…(6021 digits)"),
        (sp.Integer(2) ** 20000, "39802…(6021 digits)"),
        (sp.Integer(2) ** 20000 + 1, "39802…(6021 digits)"),
        (sp.Rational(1, 3), "1/3"),
        (sp.Integer(3) ** 100 / sp.Integer(2) ** 200, "51537…(48 digits)/16069…(61 digits)"),
        (sp.sqrt(2) * sp.Integer(3) ** 5000, "40389…(2386 digits)*sqrt(2)"),  # inside an expression too
        (sp.Symbol("x") + 1, "x + 1"),
        (Fraction(BIG, 3), "39802…(6021 digits)/3"),
        (True, "True"),
        (0.5, "0.5"),
        ("n = " + "7" * 50, "n = 77777…(50 digits)"),  # a long digit run inside text
        ("0." + "1" * 60, "0." + "1" * 60),  # decimals are left alone: only integer runs are shortened
        (3 ** (10**6), "17977…(477122 digits)"),  # beyond the exact range: by logarithms, still exact here
    ],
    ids=lambda v: f"{type(v).__name__}",  # pytest's own ids would str() the huge ints
)
def test_short_number(value, shown):
    assert short_number(value) == shown


def test_a_hair_from_a_power_of_ten_says_about():
    assert short_number(10**200000) == "10000…(about 200001 digits)"


def test_never_raises_even_under_a_lower_int_limit():
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)  # the smallest limit Python allows
    try:
        assert short_number(10**700) == "10000…(701 digits)"
        assert short_number(sp.Integer(10) ** 700) == "10000…(701 digits)"
        assert short_number([10**700]) == "<a list too large to print>"  # str() itself fails: a placeholder, no error
    finally:
        sys.set_int_max_str_digits(old)


def test_an_object_whose_str_fails_is_a_placeholder():
    class Broken:
        def __str__(self):
            raise RuntimeError("no")

    assert short_number(Broken()) == "<a Broken that cannot be printed: RuntimeError>"


def test_counterexample_fields_are_text_with_long_numbers_shortened():
    cx = Counterexample(values=(("n", sp.Integer(20000)),), lhs=sp.Integer(2) ** 20000, rhs=BIG + 1, difference=sp.Integer(-1))
    assert cx.values == (("n", "20000"),)
    assert (cx.lhs, cx.rhs, cx.difference) == ("39802…(6021 digits)", "39802…(6021 digits)", "-1")
    assert str(cx) == "at n = 20000: 39802…(6021 digits) ≠ 39802…(6021 digits) (difference -1)"
    assert json.loads(json.dumps(cx.to_dict()))["lhs"] == "39802…(6021 digits)"
    assert len(str(cx)) < 100


def test_short_strings_are_unchanged():
    cx = Counterexample(values=(("x", "1"),), lhs="4", rhs="5", difference="-1")
    assert (cx.values, cx.lhs, cx.rhs, cx.difference) == ((("x", "1"),), "4", "5", "-1")
    assert MAX_DIGITS_SHOWN == 40


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("view", ["claims", "errata", "show"])
def test_every_report_renders_a_huge_counterexample(fmt, view):
    cx = Counterexample(values=(("n", "20000"),), lhs=sp.Integer(2) ** 20000, rhs=sp.Integer(2) ** 20000 + 1, difference="-1")
    wrong = Erratum(claim_id="big", equation=None, section=None, step=1, as_written="2**n + 1", corrected=None,
                    correction_verdict=None, kind="propagates", counterexample=cx)
    r = ClaimResult(id="big", equation=None, section=None, title="huge", verdict="refuted", method="counterexample", seconds=0.1,
                    steps=(LinkResult(1, "refuted", "counterexample", str(cx), counterexample=cx),), errata=(wrong,),
                    lines=("2**n", "2**n + 1"), relations=("", "="))
    out = render(fmt, view, [r], Summary.of([r], 0.1, 1))
    assert "39802…(6021 digits)" in out or view == "claims"
    assert len(out) < 200_000


def test_verdicts_are_the_five_pinned_words_and_nothing_else():
    from verifier import VERDICTS, Verdict

    assert VERDICTS == ("proved", "checked", "refuted", "inconclusive", "error") == tuple(Verdict)
    link = LinkResult(1, "checked", "sampling")
    assert link.verdict is Verdict.CHECKED and link.verdict == "checked" and f"{link.verdict}" == "checked"
    assert json.loads(json.dumps(link.to_dict()))["verdict"] == "checked"
    with pytest.raises(ValueError):
        LinkResult(1, "passed", "sampling")  # a word outside the five is a bug, caught where it is made


def test_a_memo_of_printed_subexpressions_prints_the_same_text():
    # the lines of a claim are printed through one memo (verifier.engine.verify): the same text as
    # printing each alone, a Float at the top and inside included (its trailing zeros differ)
    x, y = sp.symbols("x y")
    half = sp.Float("0.50")
    lines = [half, x + half, (x + half) ** 2 / (y - 1), sp.Integer(2) ** 20000 * (x + half), sp.Rational(1, 3) * (y - 1)]
    memo: dict = {}
    assert [short_number(e, memo) for e in lines] == [short_number(e) for e in lines]
    assert [short_number(e, memo) for e in reversed(lines)] == [short_number(e) for e in reversed(lines)]
    assert memo  # it was used


def _adds(expr) -> set:
    if isinstance(expr, sp.MatrixBase):
        return set().union(*(_adds(e) for e in expr))
    return expr.atoms(sp.Add) if isinstance(expr, sp.Basic) else set()


def test_terms_are_ordered_as_sympy_orders_them(catalog):
    """The printers' term order (verifier.printing.ordered_terms, without evalf) is SymPy's own, on
    every sum in the catalogue's lines and on coefficients where a float conversion could differ."""
    from verifier.printing import ordered_terms

    x, y, z = sp.symbols("x y z")
    A, B = sp.symbols("A B", commutative=False)
    own = [
        2 - 3 * x, -x**2 / 3 + sp.Rational(5, 7) * y + sp.sqrt(2) * z, sp.pi * x - 2 * y + sp.I * z + 1,
        sp.Rational(10**60, 3) * x + sp.Rational(10**60 + 1, 3) * y,  # beyond 53 bits: SymPy's own conversion
        sp.Rational(1, 3) * x + sp.Float("0.3333333333333333") * y + sp.Rational(2**52 + 1, 2**53) * z,
        sp.Rational(1, 10**400) * x - sp.Rational(10**400) * y, sp.E * x + sp.exp(2) * y - x * y,
        x + sp.O(x**2) + 1, A * B - B * A + x * A, sp.Integer(0) + x - x**2 + x**3 / 2,
    ]
    sums = {a for e in own for a in _adds(e)}
    for claim in catalog.values():
        for step in claim.steps:
            sums |= _adds(step.expr)
    assert len(sums) > 300
    for s in sums:
        assert ordered_terms(s) == s.as_ordered_terms(), s
