"""The CLI: verbs, formats, exit codes and messages for people."""
import json
import subprocess
import sys

import pytest

import cli


def run(*args):
    return subprocess.run([sys.executable, "cli.py", *args], capture_output=True, text=True, cwd=cli.__file__.rsplit("/", 1)[0])


def test_one_equation_json_has_the_pinned_fields():
    proc = run("1.17", "--format", "json")
    assert proc.returncode == 1  # 1.17 has errata
    doc = json.loads(proc.stdout)
    assert set(doc) == {"claims", "summary"}
    assert [c["id"] for c in doc["claims"]] == ["1.17:mean", "1.17:variance"]
    claim = doc["claims"][1]
    assert {"id", "equation", "section", "title", "verdict", "method", "seconds", "steps", "errata"} <= set(claim)
    assert {"index", "verdict", "method"} <= set(claim["steps"][0])
    erratum = claim["errata"][0]
    assert {"equation", "step", "as_written", "corrected", "correction_verdict", "kind", "counterexample"} <= set(erratum)
    assert set(doc["summary"]) == {"proved", "checked", "refuted", "inconclusive", "error", "seconds", "seed"}
    assert doc["summary"]["seed"] == cli.DEFAULT_SEED


def test_exit_code_0_when_everything_holds():
    proc = run("1.5", "1.9")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "refuted" not in proc.stdout.split("\n")[-2] or " 0 refuted" in proc.stdout


def test_unknown_id_names_the_closest_ids_and_exits_2():
    proc = run("1.71")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "unknown equation or claim id '1.71'" in proc.stderr
    assert "closest:" in proc.stderr and "1.7" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        ((), "nothing to do"),
        (("show",), "needs an id"),
        (("all", "1.3"), "takes no ids"),
        (("1.3", "--timeout", "0"), "--timeout must be a positive"),
        (("1.3", "--seed", "1.5"), "invalid int value"),
        (("1.3", "--format", "yaml"), "invalid choice"),
    ],
)
def test_bad_usage_exits_2_with_one_message(args, message):
    proc = run(*args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_list_does_not_verify():
    proc = run("list")
    assert proc.returncode == 0
    assert "1.17:variance" in proc.stdout and "proved" not in proc.stdout


def test_show_prints_every_line_with_its_verdict():
    proc = run("show", "1.17:variance")
    assert proc.returncode == 1
    out = proc.stdout
    assert out.count("by structural") >= 7 and "✘" in out
    assert "X_1 = 0" in out and "corrected:" in out


def test_errata_lists_only_wrong_lines_in_markdown():
    proc = run("errata", "1.17", "--format", "markdown")
    assert proc.returncode == 1
    assert "## Errata" in proc.stdout
    assert "1.17:variance, line 3" in proc.stdout and "1.17:variance, line 7" in proc.stdout
    assert "| as written | corrected |" in proc.stdout


def test_plain_text_when_piped():
    proc = run("1.5")
    assert "\x1b[" not in proc.stdout


TIMEOUT = "verify: --timeout must be a positive number of seconds up to 3600, got {}; e.g. --timeout 20\n"


@pytest.mark.parametrize("value,shown", [("nan", "nan"), ("inf", "inf"), ("-inf", "-inf"), ("-1", "-1"), ("0", "0"), ("1e308", "1e+308"), ("3601", "3601")])
@pytest.mark.parametrize("verb", [("check", "x", "x", "--where", "x: (0, 1)"), ("1.3",)], ids=["check", "catalogue"])
def test_a_timeout_that_is_not_a_finite_positive_number_exits_2(verb, value, shown):
    proc = run(*verb, f"--timeout={value}")
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", TIMEOUT.format(shown))


def test_a_negative_seed_exits_2():
    proc = run("check", "x", "x", "--where", "x: (0, 1)", "--seed=-1")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "verify: --seed must be a whole number ≥ 0, got -1; e.g. --seed 20190709\n"


def test_the_largest_timeout_is_accepted():
    proc = run("check", "x", "x", "--where", "x: (0, 1)", "--timeout", "3600", "--seed", "0")
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("value", ["nan", "0.1", "2000"])
def test_a_memory_ceiling_out_of_range_exits_2(value):
    proc = run("check", "x", "x", "--where", "x: (0, 1)", f"--memory={value}")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"verify: --memory must be between 0.5 and 1024 GiB, got {float(value):g}; e.g. --memory 8\n"


def test_the_memory_ceiling_turns_a_runaway_allocation_into_memory_error():
    # In a child process: the ceiling is per process and cannot be raised again once lowered.
    code = (
        "from verifier.memory import cap_memory\n"
        "print(cap_memory(1.0))\n"
        "try:\n    bytearray(2 * 1024**3)\nexcept MemoryError:\n    print('MemoryError')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.split() == ["1.0", "MemoryError"], proc.stderr


def test_a_line_that_runs_out_of_memory_is_inconclusive_and_the_rest_still_runs(monkeypatch):
    import sympy as sp

    from verifier import Claim, engine, verify

    x = sp.Symbol("x")
    settle = engine._settle_defined

    def explode_on_line_1(claim, prev, line, index, *args):
        if index == 1:
            raise MemoryError
        return settle(claim, prev, line, index, *args)

    monkeypatch.setattr(engine, "_settle_defined", explode_on_line_1)
    result = verify(Claim("mem", [(x + 1) ** 2, x**2 + 2 * x + 1, 1 + x * (x + 2)], domain={x: (0, 1)}), timeout=10)
    first, second = result.steps
    assert (first.verdict, first.method) == ("inconclusive", "limits")
    assert "MemoryError" in first.detail
    assert second.verdict == "proved"
