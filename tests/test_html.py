"""`--format html`: one self-contained, well-formed page; lines as MathML, coloured by verdict."""
import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
import sympy as sp

from verifier import Claim, E, P, Var, verify
from verifier.report.html import render
from verifier.results import ClaimResult, Counterexample, Erratum, LinkResult, Summary

x, n = sp.symbols("x n")
X = sp.Symbol("X")
LINES = [(x + 1) ** 2, x**2 + 2 * x + 2, x**2 + 2 * x + 1]
MATHML = tuple(sp.mathml(e, printer="presentation") for e in LINES)
CX = Counterexample(values=(("x", "1"),), lhs="4", rhs="5", difference="-1")
ERRATUM = Erratum(
    claim_id="my:square", equation="9.1", section="9", step=1, as_written="x**2 + 2*x + 2", corrected="x**2 + 2*x + 1",
    correction_verdict="proved", kind="isolated", counterexample=CX,
)
SUMMARY = Summary(proved=1, refuted=1, seconds=0.2, seed=7)


def square(**kw):
    base = dict(
        id="my:square", equation="9.1", section="9", title="a square <b>&amp;</b> its expansion", verdict="refuted",
        method="structural", seconds=0.01, seed=7, errata=(ERRATUM,), uses=("my:base",),
        steps=(LinkResult(1, "refuted", "counterexample", detail="at x = 1: 4 ≠ 5"), LinkResult(2, "proved", "structural")),
        lines=tuple(map(str, LINES)), mathml=MATHML,
    )
    base.update(kw)
    return ClaimResult(**base)


def base():
    return ClaimResult(id="my:base", equation=None, section=None, title="base", verdict="proved", method="structural", seconds=0.0,
                       steps=(LinkResult(1, "proved", "structural"),), lines=("x", "x"), mathml=("<mi>x</mi>", ""))


def well_formed(page: str) -> ET.Element:
    """Parse the page as XML (it is written XHTML-compatible): raises ParseError on any unbalanced tag."""
    assert page.startswith("<!DOCTYPE html>\n")
    return ET.fromstring(page[len("<!DOCTYPE html>\n"):])


@pytest.fixture(params=["claims", "errata", "show"])
def page(request):
    return render(request.param, [square(), base()], SUMMARY)


def test_every_view_is_well_formed_offline_and_script_free(page):
    root = well_formed(page)
    assert root.tag == "html" and root.find("head/style") is not None
    assert "<script" not in page.lower() and "javascript:" not in page.lower()
    assert not re.search(r"https?://", page)
    assert not re.search(r"\bsrc=|<link\b|@import|@font-face", page)
    assert all(a.get("href", "#").startswith("#") for a in root.iter("a"))


def test_the_well_formedness_check_really_fails_on_malformed_output():
    good = render("show", [square()], SUMMARY)
    well_formed(good)
    for broken in (good.replace("</li>", "", 1), good.replace("<math ", "<math><mrow ", 1), good.replace("&lt;", "<", 1)):
        with pytest.raises(ET.ParseError):
            well_formed(broken)


def test_lines_are_mathml_and_the_refuted_line_is_coloured():
    root = well_formed(render("show", [square()], SUMMARY))
    items = root.findall(".//ol[@class='lines']/li")
    assert [li.get("class") for li in items] == ["line given", "line refuted", "line proved"]
    assert all(li.find(".//math") is not None for li in items)
    wrong = items[1]
    assert wrong.find(".//span[@class='mark']").text == "✘"
    assert ET.tostring(wrong.find(".//math/mrow"), encoding="unicode").count("<mn>2</mn>") >= 2
    page = render("show", [square()], SUMMARY)
    assert ".refuted { --fg: #c62828; --bg: #fdecea; }" in page
    assert "li.line { display: grid;" in page and "border-left: 4px solid var(--fg, #bbb); background: var(--bg, transparent);" in page


def test_a_line_without_mathml_falls_back_to_its_text():
    root = well_formed(render("show", [base()], SUMMARY))
    second = root.findall(".//ol[@class='lines']/li")[1]
    assert second.find(".//math") is None and second.find(".//code").text == "x"


def test_every_text_is_escaped():
    page = render("claims", [square(title="<script>alert(1)</script>")], SUMMARY)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    well_formed(page)


def test_erratum_side_by_side_with_counterexample_and_kind():
    root = well_formed(render("errata", [square()], SUMMARY))
    (art,) = root.findall(".//article")
    assert art.get("class") == "erratum isolated"
    assert art.find("h3").text == "my:square, line 1 (§9, eq. 9.1) — isolated"
    written, corrected = art.findall("div[@class='side-by-side']/div")
    assert written.get("class") == "written" and written.find(".//math") is not None
    assert written.findall(".//code")[-1].text == "x**2 + 2*x + 2"
    assert corrected.find(".//code").text == "x**2 + 2*x + 1" and "proved" in corrected.find("h4/span").text
    assert art.find("pre").text == "x = 1\nprevious line = 4\nthis line     = 5\ndifference    = -1"
    assert art.find("p[@class='kind isolated']").text.startswith("Isolated:")


def test_views_have_the_table_renderer_semantics():
    claims = render("claims", [square(), base()], SUMMARY)
    assert '<table class="claims">' in claims and '<section id="dependencies">' in claims and '<svg class="graph"' in claims
    errata = render("errata", [square(), base()], SUMMARY)
    assert '<table class="claims">' not in errata and "<article" in errata and "<ol" not in errata
    assert "No errata found." in render("errata", [base()], SUMMARY)
    show = render("show", [square()], SUMMARY)
    assert '<table class="claims">' not in show and '<section class="claim"' in show and "<article" in show


def test_dependency_graph_as_svg_and_list():
    root = well_formed(render("claims", [square(), base()], SUMMARY))
    section = root.find(".//section[@id='dependencies']")
    rects = section.findall(".//rect")
    assert [r.get("class") for r in rects] == ["refuted", "proved"]
    (item,) = section.findall("ul/li")
    assert "".join(item.itertext()) == "my:square uses my:base"
    assert [b.get("class") for b in item.findall("span")] == ["badge refuted", "badge proved"]


def test_a_real_result_renders_with_the_operators_printed_as_E_Var_P():
    c = Claim("e:shift", [E(X + 1) + Var(X) + P(sp.Eq(X, 1)), E(X) + 1 + Var(X) + P(sp.Eq(X, 1)), E(X) + 2 + Var(X) + P(sp.Eq(X, 1))],
              random={X: __import__("verifier").Bernoulli(sp.Rational(1, 3))})
    r = verify(c, seed=1)
    assert r.verdict == "refuted"
    page = render("show", [r], Summary.of([r], 0.1, 1))
    root = well_formed(page)
    math = ET.tostring(root.find(".//li[@class='line given']//math"), encoding="unicode")
    assert '<mi mathvariant="normal">E</mi><mrow><mo>[</mo>' in math
    assert "<mi>Var</mi><mrow><mo>[</mo>" in math and '<mi mathvariant="normal">P</mi><mrow><mo>(</mo>' in math
    assert "<mi>e</mi>" not in math
    assert "&InvisibleTimes;" not in page  # named HTML entities become numeric: the page stays XML


def test_operators_pretty_print_with_brackets():
    assert sp.pretty(E(X) ** 2 + Var(X), use_unicode=False) == "    2         \nE[X]  + Var[X]"
    assert sp.pretty(P(sp.Eq(X, 1))) == "P(X = 1)"


# --- a real browser -------------------------------------------------------------------------------

PROBE = """<pre id="probe"></pre><script>
const li = document.querySelector("li.line.refuted");
const math = li.querySelector("math");
const frac = document.querySelector("li.line mfrac");
const box = (e) => e.getBoundingClientRect();
document.getElementById("probe").textContent = JSON.stringify({
  mathml: math instanceof MathMLElement,
  width: box(math).width,
  stacked: frac ? box(frac.children[0]).bottom <= box(frac.children[1]).top + 1 : null,
  background: getComputedStyle(li).backgroundColor,
  border: getComputedStyle(li).borderLeftColor,
  svg: box(document.querySelector("svg.graph")).width,
});
</script>"""


def _no_memory_ceiling() -> None:
    """In the browser's process: lift the suite's address-space ceiling (conftest), which Chromium's
    large reservations of virtual memory exceed at start."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.getrlimit(resource.RLIMIT_AS)[1]))


def test_a_real_headless_browser_renders_the_mathml_and_colours(tmp_path):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    half = ClaimResult(id="my:half", equation=None, section=None, title="half", verdict="proved", method="structural", seconds=0.0,
                       steps=(LinkResult(1, "proved", "structural"),), lines=("x/2", "x/2"),
                       mathml=(sp.mathml(x / 2, printer="presentation"),) * 2)
    page = render("claims", [square(), base(), half], SUMMARY)
    probe = tmp_path / "probe.html"  # the shipped page has no script; only this test copy measures it
    probe.write_text(page.replace("</body>", PROBE + "\n</body>"), encoding="utf-8")
    proc = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,900", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120, preexec_fn=_no_memory_ceiling,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', proc.stdout, re.S)
    assert found and found.group(1), proc.stderr[-2000:]
    seen = json.loads(html.unescape(found.group(1)))
    assert seen["mathml"] is True and seen["width"] > 10  # parsed as MathML and laid out
    assert seen["stacked"] is True  # a fraction is drawn with its numerator above its denominator
    assert seen["background"] == "rgb(253, 236, 234)" and seen["border"] == "rgb(198, 40, 40)"  # the refuted line is red
    assert seen["svg"] > 100


def test_cli_format_html_writes_one_page():
    import sys
    from pathlib import Path

    import verifier.cli

    proc = subprocess.run(
        [sys.executable, "cli.py", "check", "(x+1)**2", "x**2+2*x+2", "x**2+2*x+1", "--where", "x: (-10, 10)", "--format", "html"],
        capture_output=True, text=True, cwd=Path(verifier.cli.__file__).parents[1], timeout=120,
    )
    assert proc.returncode == 1 and proc.stderr == ""
    root = well_formed(proc.stdout)
    assert [li.get("class") for li in root.findall(".//ol[@class='lines']/li")] == ["line given", "line refuted", "line proved"]
    assert len(root.findall(".//math")) == 4  # three lines and the erratum's as-written line
