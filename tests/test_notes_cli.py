"""`verify notes FILE`: exit codes, reports (file, line, label, LaTeX, parse, verdict), unparsed lines
listed with their reasons, context lookup, errors for people, and `--emit`."""
import importlib.util
import json

import pytest

from verifier.cli import main

NOTES = r"""# My notes

$$(x+1)^2 = x^2 + 2x + 1 = x^2 + 2x + 2 \tag{A}$$

$$\frac{a}{b} \approx c$$

$$\mathfrak{g} = 1$$

$$y \leftarrow y + 1$$
"""


@pytest.fixture
def notes(tmp_path):
    path = tmp_path / "my.md"
    path.write_text(NOTES, encoding="utf-8")
    return path


def run(capsys, *args):
    code = main(["notes", *map(str, args), "--no-cache", "--jobs", "1"])
    out, err = capsys.readouterr()
    return code, out, err


def test_without_context_a_wrong_line_needs_context(notes, capsys):
    code, out, err = run(capsys, notes, "--format", "json")
    assert code == 3, err
    doc = json.loads(out)
    steps = doc["notes"]["steps"]
    first, second = steps[0], steps[1]
    assert (first["line"], first["label"], first["verdict"]) == (3, "A", "proved")
    assert first["lhs_latex"] == "(x+1)^2" and first["rhs"] == "x**2 + 2*x + 1"
    assert second["verdict"] == "inconclusive" and second["status"] == "needs context"
    assert "declare it in the context" in second["reason"]
    kinds = {s["rhs_latex"]: s["status"] for s in steps}
    assert kinds["c"] == "needs context"  # ≈ without a limit in the context
    assert kinds["y + 1"] == "not an equation"
    assert doc["notes"]["unparsed"] == [{"line": 7, "latex": r"\mathfrak{g}", "cause": "unknown command \\mathfrak",
                                         "reason": r"unknown command \mathfrak near '\\mathfrak{g}'"}]
    assert doc["notes"]["summary"]["steps"] == 5


def test_with_a_context_beside_the_notes_the_wrong_line_is_refuted(notes, capsys):
    notes.with_name("my.verify.toml").write_text('[domains]\nx = "(-oo, oo)"\n', encoding="utf-8")
    code, out, err = run(capsys, notes)
    assert code == 1, err
    assert "refuted" in out and "my.md:3" in out
    assert "Unparsed, by cause" in out and "unknown command \\mathfrak" in out


@pytest.mark.parametrize("fmt, marker", [("markdown", "| line | label |"), ("html", "<table>"), ("table", "display lines parsed")])
def test_every_format_renders(notes, capsys, fmt, marker):
    code, out, err = run(capsys, notes, "--format", fmt)
    assert code == 3 and marker in out, err


def test_a_missing_file_or_a_bad_context_is_exit_2_with_one_message(tmp_path, notes, capsys):
    code, out, err = run(capsys, tmp_path / "nope.md")
    assert code == 2 and "not found" in err and "Traceback" not in err
    bad = tmp_path / "bad.toml"
    bad.write_text("[domains\n", encoding="utf-8")
    code, out, err = run(capsys, notes, "--context", bad)
    assert code == 2 and "not valid TOML" in err and "Traceback" not in err
    code, out, err = run(capsys, notes, "--context", tmp_path / "missing.toml")
    assert code == 2 and "not found" in err
    assert main(["all", "--context", str(bad)]) == 2


def test_hostile_latex_is_unparsed_with_a_reason_not_a_crash(tmp_path, capsys):
    path = tmp_path / "evil.tex"
    path.write_text("\\[ 9^{9^{9^9}} = 100000! \\]\n\\[" + "{" * 200 + "x" + "}" * 200 + " = x \\]\n", encoding="utf-8")
    code, out, err = run(capsys, path, "--format", "json")
    doc = json.loads(out)
    causes = {u["cause"] for u in doc["notes"]["unparsed"]}
    assert causes == {"too large a number", "nested too deeply"}
    assert code == 0  # nothing was checked, nothing failed


def test_emit_writes_a_claims_module_in_the_public_api(notes, tmp_path, capsys):
    notes.with_name("my.verify.toml").write_text('[domains]\nx = "(-oo, oo)"\n', encoding="utf-8")
    target = tmp_path / "claims.py"
    run(capsys, notes, "--emit", target)
    spec = importlib.util.spec_from_file_location("emitted_claims", target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from verifier import Claim, verify

    claim = module.claim_0
    assert isinstance(claim, Claim) and claim.equation == "A" and len(claim.steps) == 3
    assert verify(claim).verdict == "refuted"


def test_emit_keeps_shared_distributions_and_the_limits_of_approximate_lines(tmp_path, capsys):
    # X and its copies X_i share one Generic (two of the same name would be refused), and a ≈ line
    # keeps its limit and its little-o remainder
    notes = tmp_path / "n.md"
    notes.write_text("$$Var(X) = \\frac{1}{n}\\sum_{i=1}^{n} X_i - E(X_1) + Var(X)$$\n\n"
                     "$$a + o(\\rho) \\approx a$$\n", encoding="utf-8")
    notes.with_name("n.verify.toml").write_text(
        '[random]\nX = "Generic"\n[notation]\nfunctions = ["o"]\nlittle_o = ["o"]\nintegers = ["i", "n"]\n'
        '[domains]\na = "(-1, 1)"\nn = "integer (1, oo)"\n[limits]\nrho = "0+"\n', encoding="utf-8")
    target = tmp_path / "claims.py"
    run(capsys, notes, "--emit", target)
    spec = importlib.util.spec_from_file_location("emitted_n", target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from verifier import verify

    first, second = module.claim_0, module.claim_1
    assert len({id(d) for d in first.random.values()}) == 1
    assert second.steps[1].limit is not None and second.steps[1].small
    assert verify(second).verdict == "proved"
