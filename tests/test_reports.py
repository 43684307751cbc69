"""Renderers on hand-built results (no engine): the dependency graph, the Markdown errata and graph."""
import pytest

from verifier.report import FORMATS, render
from verifier.report import graph as graphs
from verifier.report.markdown import render as markdown
from verifier.results import ClaimResult, Counterexample, Erratum, LinkResult, Summary

CX = Counterexample(values=(("n", "2"), ("X_1", "0")), lhs="1/4", rhs="1", difference="-3/4", realization="X ~ finite {0: 1/2, 1: 1/2}")


def result(cid, verdict, uses=(), errata=(), lines=("a", "b"), steps=None, **kw):
    steps = steps if steps is not None else tuple(LinkResult(i, "refuted" if verdict == "refuted" else verdict, "structural") for i in range(1, len(lines)))
    return ClaimResult(
        id=cid, equation=cid.split(":")[0], section="2.1", title=f"title of {cid}", verdict=verdict, method="structural",
        seconds=0.01, steps=steps, errata=tuple(errata), seed=7, lines=tuple(lines), uses=tuple(uses), **kw
    )


WRONG = Erratum(
    claim_id="2.8", equation="2.8", section="2.1.3", step=1, as_written="x**2 + 2*x + 2", corrected="x**2 + 2*x + 1",
    correction_verdict="proved", kind="propagates", counterexample=CX, as_written_latex="x^{2} + 2 x + 2", corrected_latex="x^{2} + 2 x + 1",
)
TYPO = Erratum(
    claim_id="1.17", equation="1.17", section="1.1.4", step=1, as_written="a|b", corrected=None, correction_verdict=None,
    kind="isolated", counterexample=None,
)


@pytest.fixture
def results():
    return [
        result("2.4:max", "checked", uses=["2.9:K2", "2.4:lik"]),
        result("2.9:K2", "proved", uses=["2.8"]),
        result("2.8", "refuted", errata=[WRONG], lines=("(x+1)**2", "x**2 + 2*x + 2"), latex=("(x+1)^{2}", "x^{2} + 2 x + 2"), source="derivations/naive_bayes.py:147"),
        result("2.4:lik", "proved", uses=["2.4:log"]),
        result("solo", "proved"),
    ]


SUMMARY = Summary(proved=3, checked=1, refuted=1, seconds=0.5, seed=7)


# --- the graph ------------------------------------------------------------------------------------


def test_graph_has_a_node_per_claim_that_uses_or_is_used_and_edges_user_to_used(results):
    g = graphs.build(results)
    assert [n.id for n in g.nodes] == ["2.4:max", "2.9:K2", "2.8", "2.4:lik", "2.4:log"]
    assert g.edges == (("2.4:max", "2.9:K2"), ("2.4:max", "2.4:lik"), ("2.9:K2", "2.8"), ("2.4:lik", "2.4:log"))
    assert g.node("2.4:log").verdict == "unknown"  # used, but not verified in this run
    assert g.uses("2.4:max") == ("2.9:K2", "2.4:lik") and g.users("2.8") == ("2.9:K2",)


def test_undermined_is_transitive_through_refuted_and_inconclusive_claims(results):
    g = graphs.build(results)
    assert {n.id for n in g.nodes if n.undermined} == {"2.9:K2", "2.4:max"}
    shaky = [result("top", "proved", uses=["mid"]), result("mid", "proved", uses=["low"]), result("low", "inconclusive")]
    assert {n.id for n in graphs.build(shaky).nodes if n.undermined} == {"top", "mid"}


def test_json_carries_line_verdicts_and_what_each_claim_rests_on_that_fails(results):
    import json

    doc = json.loads(render("json", "claims", results, SUMMARY))
    by_id = {c["id"]: c for c in doc["claims"]}
    assert by_id["2.8"]["line_verdicts"] == [None, "refuted"]
    assert by_id["2.4:max"]["undermined_by"] == ["2.8"]  # through 2.9:K2, which holds itself
    assert by_id["2.9:K2"]["undermined_by"] == ["2.8"] and by_id["solo"]["undermined_by"] == []
    # the errata view keeps only claims with errata, but what undermines is still judged on the whole run
    assert [c["id"] for c in json.loads(render("json", "errata", results, SUMMARY))["claims"]] == ["2.8"]


def test_an_erratum_line_is_refuted_even_when_its_own_link_held():
    # A propagating erratum: the link from the last good line fails, the next link (wrong → wrong) holds.
    steps = (LinkResult(1, "proved", "structural"), LinkResult(2, "proved", "structural"), LinkResult(3, "refuted", "structural"))
    wrong = Erratum(claim_id="c", equation=None, section=None, step=2, as_written="b", corrected=None, correction_verdict=None,
                    kind="propagates", counterexample=None)
    r = result("c", "refuted", errata=[wrong], lines=("a", "b", "c", "d"), steps=steps)
    assert r.line_verdicts == (None, "proved", "refuted", "refuted")
    # a code claim (a Property) has its verdict on line 0
    assert result("p", "checked", lines=("prop",), steps=(LinkResult(0, "checked", "property"),)).line_verdicts == ("checked",)


def test_layers_put_users_above_what_they_use(results):
    assert graphs.build(results).layers() == [["2.4:max"], ["2.9:K2", "2.4:lik"], ["2.8", "2.4:log"]]


def test_a_cycle_neither_hangs_nor_loses_a_node():
    loop = [result("a", "proved", uses=["b"]), result("b", "refuted", uses=["a"])]
    g = graphs.build(loop)
    assert sorted(sum(g.layers(), [])) == ["a", "b"]
    assert g.node("a").undermined


def test_no_graph_without_uses():
    assert graphs.build([result("solo", "proved")]).edges == ()
    assert "mermaid" not in markdown("claims", [result("solo", "proved")], SUMMARY)


# --- Markdown -------------------------------------------------------------------------------------


def test_markdown_claims_view_has_a_mermaid_graph_coloured_by_verdict(results):
    out = markdown("claims", results, SUMMARY)
    block = out[out.index("```mermaid"): out.index("```", out.index("```mermaid") + 3) + 3]
    assert block.splitlines() == [
        "```mermaid",
        "graph TD",
        '  c0["2.4:max<br/>≈ checked<br/>⚠ undermined"]',
        '  c1["2.9:K2<br/>✔ proved<br/>⚠ undermined"]',
        '  c2["2.8<br/>✘ refuted"]',
        '  c3["2.4:lik<br/>✔ proved"]',
        '  c4["2.4:log<br/>· unknown"]',
        "  c0 --> c1",
        "  c0 --> c3",
        "  c1 --> c2",
        "  c3 --> c4",
        "  class c1,c3 proved",
        "  class c0 checked",
        "  class c2 refuted",
        "  class c4 unknown",
        "  class c0,c1 undermined",
        "  classDef proved fill:#e6f4ea,stroke:#2e7d32,color:#1b5e20",
        "  classDef checked fill:#e0f7fa,stroke:#00838f,color:#006064",
        "  classDef refuted fill:#fdecea,stroke:#c62828,color:#b71c1c",
        "  classDef inconclusive fill:#fff8e1,stroke:#f9a825,color:#795548",
        "  classDef error fill:#f3e5f5,stroke:#8e24aa,color:#4a148c",
        "  classDef unknown fill:#f5f5f5,stroke:#9e9e9e,color:#616161",
        "  classDef undermined stroke-dasharray:5 3,stroke-width:3px",
        "```",
    ]
    assert "## Dependencies" in out


def test_markdown_graph_only_in_the_claims_view(results):
    assert "```mermaid" not in markdown("errata", results, SUMMARY)
    assert "```mermaid" not in markdown("show", results, SUMMARY)


def test_markdown_erratum_location_side_by_side_counterexample_and_propagation(results):
    out = markdown("errata", results, SUMMARY)
    expected = "\n".join([
        "## Errata",
        "",
        "### 2.8, line 1 (§2.1.3, eq. 2.8) — propagates",
        "",
        "**Location:** §2.1.3, eq. 2.8, line 1 of `2.8` (declared at `derivations/naive_bayes.py:147`)",
        "",
        "| | as written | corrected |",
        "|---|---|---|",
        "| text | `x**2 + 2*x + 2` | `x**2 + 2*x + 1` (proved) |",
        "| math | $x^{2} + 2 x + 2$ | $x^{2} + 2 x + 1$ |",
        "",
        "**Counterexample:**",
        "",
        "- n = 2",
        "- X_1 = 0",
        "- where X ~ finite {0: 1/2, 1: 1/2}",
        "- previous line = 1/4",
        "- this line     = 1",
        "- difference    = -3/4",
        "",
        "**Propagates:** the lines after it carry the error on; the conclusion does not follow as written.",
        "Claims that use `2.8` and are undermined by it: `2.9:K2`.",
        "",
        "Reproduce: `verify show 2.8 --seed 7`",
        "",
        "1 proved",
    ])
    assert out.startswith(expected[: -len("1 proved")])
    assert "| id |" not in out  # the errata view is only the errata


def test_markdown_erratum_without_correction_or_counterexample_escapes_pipes():
    r = result("1.17", "refuted", errata=[TYPO], lines=("a", "a|b", "a"), latex=("a", r"a \mid b", "a"))
    out = markdown("errata", [r], SUMMARY)
    assert "| text | `a\\|b` | — (no correction given) |" in out
    assert r"| math | $a \mid b$ | |" in out
    assert "- (no counterexample)" in out
    assert "**Isolated:** the next line is right again; the error does not reach the conclusion." in out


def test_markdown_errata_view_without_errata():
    assert markdown("errata", [result("solo", "proved")], SUMMARY).startswith("No errata found.\n")


def test_markdown_show_marks_each_line_and_gives_its_latex(results):
    out = markdown("show", [results[2]], SUMMARY)
    assert "0. `(x+1)**2` $(x+1)^{2}$ — given" in out
    assert "1. `x**2 + 2*x + 2` $x^{2} + 2 x + 2$ — ✘ refuted (structural)" in out


def test_markdown_lists_what_is_not_settled():
    steps = (LinkResult(1, "inconclusive", "sampling", detail="timed out after 20 s"),)
    out = markdown("claims", [result("slow", "inconclusive", steps=steps)], SUMMARY)
    assert "## Not settled\n\n- `slow`, line 1: inconclusive: timed out after 20 s\n" in out


def test_every_format_renders_every_view(results):
    assert "html" in FORMATS
    for fmt in FORMATS:
        for view in ("claims", "errata", "show"):
            assert render(fmt, view, results, SUMMARY).strip()


# --- the terminal table ---------------------------------------------------------------------------


def _table(rows, width=120, color=False):
    from verifier.report.table import render as table

    return table("claims", rows, SUMMARY, color=color, width=width).split("\n")


def test_table_columns_line_up_and_an_id_is_never_cut(results):
    long_id = "3.8:oracle-entries:sigmoid:300-200-100"
    from dataclasses import replace

    rows = [*results, replace(result(long_id, "proved"), title="a title much longer than the room the table leaves for it " * 3)]
    head, rule, *body = _table(rows)[: 2 + len(rows)]
    starts = [head.index(name) for name in ("eq.", "title", "verdict", "lines", "method")]
    for row, r in zip(body, rows):
        assert row.startswith(r.id + " ")  # whole, then padding
        assert [row[s - 2 : s] for s in starts] == ["  "] * len(starts)  # a gap before every column
        assert row[starts[0] :].startswith(r.equation)
        assert len(row) <= 120 and row == row.rstrip()
    assert body[-1][starts[1] : starts[2]].rstrip().endswith("…")  # the long title, cut
    assert head.rstrip().endswith("time") and body[0].endswith("0.01s")  # the time column is kept
    assert set(rule) == {"─"} and len(rule) == len(head)


def test_table_title_column_is_as_wide_as_its_widest_title_and_time_goes_first_when_narrow(results):
    wide = _table(results, width=300)
    assert len(wide[0]) < 120  # no padding out to the terminal's width
    assert "title of 2.4:max" in wide[2]
    narrow = _table(results, width=50)
    assert "time" not in narrow[0] and all(len(line) <= 50 for line in narrow[:7])  # the console crops the rest


def test_table_colours_the_verdict_and_each_line_mark_only_on_a_terminal(results):
    plain = "\n".join(_table(results))
    assert "\x1b[" not in plain and "✘ refuted" in plain
    coloured = "\n".join(_table(results, color=True))
    assert "\x1b[1;31m✘ refuted\x1b[0m" in coloured and "\x1b[32m✔\x1b[0m" in coloured
