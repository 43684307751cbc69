"""The CLI: verbs, formats, exit codes and messages for people, run in-process through `main(argv)`;
the three ways to start it (`verify`, `python -m verifier`, `python cli.py`) in subprocesses."""
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from verifier.cli import main
from verifier.defaults import DEFAULT_SEED

ROOT = Path(__file__).resolve().parent.parent


class Run(NamedTuple):
    code: int
    out: str
    err: str


@pytest.fixture
def verify(capsys):
    """`verify ARGS…` in this process: (exit code, stdout, stderr)."""

    def run(*args: str) -> Run:
        code = main(list(args))
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A result cache of this test's own (the session's is shared by every test)."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("DERIVATION_VERIFIER_CACHE", str(directory))
    return directory


def claims(run: Run) -> list[dict]:
    return json.loads(run.out)["claims"]


def test_one_equation_json_has_the_pinned_fields(verify):
    run = verify("1.17", "--format", "json")
    assert run.code == 1  # 1.17 has errata
    doc = json.loads(run.out)
    assert set(doc) == {"claims", "summary"}
    assert [c["id"] for c in doc["claims"]] == ["1.17:mean", "1.17:variance"]
    claim = doc["claims"][1]
    assert {"id", "equation", "section", "title", "verdict", "method", "seconds", "steps", "errata"} <= set(claim)
    assert {"index", "verdict", "method"} <= set(claim["steps"][0])
    erratum = claim["errata"][0]
    assert {"equation", "step", "as_written", "corrected", "correction_verdict", "kind", "counterexample"} <= set(erratum)
    assert set(doc["summary"]) == {"proved", "checked", "refuted", "inconclusive", "error", "seconds", "seed"}
    assert doc["summary"]["seed"] == DEFAULT_SEED


def test_exit_code_0_when_everything_holds(verify):
    run = verify("1.5", "1.9")
    assert run.code == 0, run.out + run.err
    assert ", 0 refuted, 0 inconclusive, 0 error in " in run.out.splitlines()[-1]
    assert run.err == ""


def test_exit_code_3_when_a_claim_is_inconclusive(verify, monkeypatch):
    # Decided by what the engine supports, never by the clock: E[sin(X)] for an X of any
    # distribution has no closed form, so the line is inconclusive (and never passed).
    import sympy as sp

    from verifier import Claim, E, Generic

    X = sp.Symbol("X")
    unsupported = Claim("check", [E(sp.sin(X)), sp.Integer(0)], random={X: Generic("X")})
    monkeypatch.setattr("verifier.parse.check_claim", lambda lines, where, rel="=": unsupported)
    run = verify("check", "E(sin(X))", "0")
    assert run.code == 3, run.err
    assert run.out.splitlines()[-1].startswith("0 proved, 0 checked, 0 refuted, 1 inconclusive, 0 error in ")
    assert run.err == ""


def test_an_internal_error_exits_3_with_one_line_and_no_traceback(verify, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.delenv("VERIFY_DEBUG", raising=False)
    monkeypatch.setattr("verifier.parse.check_claim", broken)
    run = verify("check", "x", "x", "--where", "x: (0, 1)")
    assert run == (3, "", "verify: internal error: RuntimeError: boom (set VERIFY_DEBUG=1 for the traceback)\n")


def test_unknown_id_names_the_closest_ids_and_exits_2(verify):
    run = verify("1.71")
    assert (run.code, run.out) == (2, "")
    assert "unknown equation or claim id '1.71'" in run.err
    assert "closest:" in run.err and "1.7" in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize(
    "args,message",
    [
        ((), "nothing to do"),
        (("show",), "needs an id"),
        (("all", "1.3"), "takes no ids"),
        (("1.3", "--timeout", "0"), "--timeout must be a positive"),
        (("1.3", "--seed", "1.5"), "invalid int value"),
        (("1.3", "--format", "yaml"), "invalid choice"),
        (("1.3", "--jobs", "0"), "--jobs must be at least 1"),
        (("1.3", "--jobs", "many"), "expected a whole number or auto, got 'many'"),
    ],
)
def test_bad_usage_exits_2_with_one_message(verify, args, message):
    run = verify(*args)
    assert (run.code, run.out) == (2, "")
    assert message in run.err
    assert "Traceback" not in run.err


def test_jobs_auto_is_the_default_and_gives_the_serial_results(verify):
    import json

    auto = verify("1.5", "1.7", "--no-cache", "--format", "json")
    serial = verify("1.5", "1.7", "--no-cache", "--format", "json", "--jobs", "1")
    strip = lambda out: [{k: v for k, v in c.items() if k not in ("seconds", "steps")} | {"steps": [(s["index"], s["verdict"], s["detail"]) for s in c["steps"]]}
                         for c in json.loads(out)["claims"]]  # noqa: E731
    assert auto.code == serial.code and strip(auto.out) == strip(serial.out)


def test_help_exits_0(verify):
    run = verify("--help")
    assert (run.code, run.err) == (0, "")
    assert run.out.startswith("usage: verify ")
    words = " ".join(run.out.split())  # argparse wraps to the terminal's width
    assert words.endswith("exit codes: 0 all hold · 1 errata found · 2 bad usage · 3 inconclusive or internal error")


def test_list_does_not_verify(verify):
    run = verify("list")
    assert run.code == 0
    assert "1.17:variance" in run.out and "proved" not in run.out


def test_show_prints_every_line_with_its_verdict(verify):
    run = verify("show", "1.17:variance")
    assert run.code == 1
    assert run.out.count("by structural") >= 7 and "✘" in run.out
    assert "X_1 = 0" in run.out and "corrected:" in run.out


def test_errata_lists_only_wrong_lines_in_markdown(verify):
    run = verify("errata", "1.17", "--format", "markdown")
    assert run.code == 1
    assert "## Errata" in run.out
    assert "1.17:variance, line 3" in run.out and "1.17:variance, line 7" in run.out
    assert "| as written | corrected |" in run.out


def test_plain_text_when_piped(verify):
    run = verify("1.5")
    assert run.code == 0 and "✔" in run.out
    assert "\x1b[" not in run.out


TIMEOUT = "verify: --timeout must be a positive number of seconds up to 3600, got {}; e.g. --timeout 20\n"


@pytest.mark.parametrize("value,shown", [("nan", "nan"), ("inf", "inf"), ("-inf", "-inf"), ("-1", "-1"), ("0", "0"), ("1e308", "1e+308"), ("3601", "3601")])
@pytest.mark.parametrize("verb", [("check", "x", "x", "--where", "x: (0, 1)"), ("1.3",)], ids=["check", "catalogue"])
def test_a_timeout_that_is_not_a_finite_positive_number_exits_2(verify, verb, value, shown):
    assert verify(*verb, f"--timeout={value}") == (2, "", TIMEOUT.format(shown))


def test_a_negative_seed_exits_2(verify):
    run = verify("check", "x", "x", "--where", "x: (0, 1)", "--seed=-1")
    assert run == (2, "", "verify: --seed must be a whole number ≥ 0, got -1; e.g. --seed 20190709\n")


def test_the_largest_timeout_is_accepted(verify):
    run = verify("check", "x", "x", "--where", "x: (0, 1)", "--timeout", "3600", "--seed", "0")
    assert run.code == 0, run.err


@pytest.mark.parametrize("value", ["nan", "0.1", "2000"])
def test_a_memory_ceiling_out_of_range_exits_2(verify, value):
    run = verify("check", "x", "x", "--where", "x: (0, 1)", f"--memory={value}")
    assert run == (2, "", f"verify: --memory must be between 0.5 and 1024 GiB, got {float(value):g}; e.g. --memory 8\n")


# --- the result cache from the command line -----------------------------------------------------------

CHECK = ("check", "(x+1)**2", "x**2+2*x+1", "--where", "x: (-3, 3)", "--format", "json")


def _files(directory: Path) -> dict:
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in directory.rglob("*") if p.is_file()}


@pytest.mark.parametrize("args", [CHECK, ("1.5", "--format", "json")], ids=["check", "catalogue"])
def test_no_cache_recomputes_without_reading_or_writing_the_cache(verify, cache, monkeypatch, args):
    assert [c["cached"] for c in claims(verify(*args))] == [False] * len(claims(verify(*args)))
    warm = verify(*args)
    assert {c["cached"] for c in claims(warm)} == {True}  # the cache is in use: what follows means something
    stored = _files(cache)
    touched = []
    from verifier.cache import ResultCache

    monkeypatch.setattr(ResultCache, "get_doc", lambda self, key: touched.append(("read", key)))
    monkeypatch.setattr(ResultCache, "put_doc", lambda self, key, payload: touched.append(("write", key)))
    cold = verify(*args, "--no-cache")
    assert (cold.code, cold.err) == (warm.code, "")
    assert {c["cached"] for c in claims(cold)} == {False}
    assert [c["verdict"] for c in claims(cold)] == [c["verdict"] for c in claims(warm)]
    assert touched == [] and _files(cache) == stored


def test_a_corrupted_cache_file_is_reported_once_and_recomputed(verify, cache):
    first = verify(*CHECK)
    (path,) = cache.rglob("*.json")
    path.write_text('{"format": 1, "key": "trunc')  # a write cut short
    again = verify(*CHECK)
    assert (again.code, claims(again)[0]["cached"]) == (first.code, False)
    assert claims(again)[0]["verdict"] == claims(first)[0]["verdict"] == "proved"
    assert again.err == f"verify: warning: ignored the result cache file {path}: it is not a result cache file (truncated or corrupted); recomputing\n"
    rebuilt = verify(*CHECK)
    assert (claims(rebuilt)[0]["cached"], rebuilt.err) == (True, "")


def test_an_unwritable_cache_directory_is_reported_once_and_the_run_succeeds(verify, tmp_path, monkeypatch):
    # A file where the directory should be (no user, root included, can write there); three claims
    # and the run itself each fail to be stored: one line on stderr says so.
    (tmp_path / "file").write_text("")
    directory = tmp_path / "file" / "cache"
    monkeypatch.setenv("DERIVATION_VERIFIER_CACHE", str(directory))
    run = verify("1.5", "--format", "json")
    assert run.code == 0
    assert [(c["verdict"], c["cached"]) for c in claims(run)] == [("proved", False)] * 3
    assert run.err == f"verify: warning: cannot write the result cache in {directory} (Not a directory); results are not cached\n"


# --- the three ways to start it --------------------------------------------------------------------


def _verify_script() -> str:
    found = shutil.which("verify", path=os.path.dirname(sys.executable)) or shutil.which("verify")
    assert found, "the `verify` console script is installed with the package (python -m pip install -e .)"
    return found


@pytest.mark.parametrize(
    "command,cwd",
    [
        (lambda: [_verify_script()], None),
        (lambda: [sys.executable, "-m", "verifier"], None),
        (lambda: [sys.executable, "cli.py"], ROOT),
    ],
    ids=["verify", "python -m verifier", "python cli.py"],
)
def test_every_entry_point_runs_the_same_command(command, cwd, tmp_path):
    proc = subprocess.run([*command(), "1.17", "--format", "json"], capture_output=True, text=True, cwd=cwd or tmp_path, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    doc = json.loads(proc.stdout)
    assert [(c["id"], c["verdict"]) for c in doc["claims"]] == [("1.17:mean", "proved"), ("1.17:variance", "refuted")]
    assert [e["step"] for e in doc["claims"][1]["errata"]] == [3, 7]
    usage = subprocess.run([*command(), "--seed", "x"], capture_output=True, text=True, cwd=cwd or tmp_path, timeout=300)
    assert (usage.returncode, usage.stdout) == (2, "")
    assert usage.stderr.startswith("usage: verify ") and "invalid int value: 'x'" in usage.stderr


def test_help_does_not_import_sympy():
    code = "import sys\nfrom verifier.cli import main\nprint(main(['--help']), 'sympy' in sys.modules, 'numpy' in sys.modules, file=sys.stderr)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stderr == "0 False False\n"


def test_the_console_script_is_the_packaged_command_and_no_top_level_cli_is_installed(tmp_path):
    (script,) = [e for e in importlib.metadata.distribution("derivation-verifier").entry_points if e.group == "console_scripts"]
    assert (script.name, script.value) == ("verify", "verifier.cli:entry")
    # Outside the checkout, this project's cli.py must not be importable as a top-level `cli`.
    code = "import importlib.util\nspec = importlib.util.find_spec('cli')\nprint(spec.origin if spec else None)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not proc.stdout.strip().startswith(str(ROOT)), proc.stdout


# --- memory ---------------------------------------------------------------------------------------


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


def test_verify_all_with_topics_built_in_workers_keeps_the_catalogue_order(verify, results, catalog, monkeypatch):
    # `verify all` hands each topic to a worker that builds it; its claims' cache keys must be the
    # ones the parent's catalogue gives (the session's results are all cached), in notes order.
    from verifier.cache import ResultCache

    monkeypatch.setattr(ResultCache, "get_run", lambda self, key: None)  # not the stored whole run: the workers
    got = claims(verify("all", "--format", "json", "--jobs", "2"))
    assert [c["id"] for c in got] == list(catalog)
    assert all(c["cached"] for c in got)
    assert [c["verdict"] for c in got] == [results[i].verdict for i in catalog]


def test_one_blas_thread_per_process_unless_the_user_set_a_count(monkeypatch):
    # The workers are the parallelism: a BLAS pool in each would put two threads on each core.
    from verifier import cli

    for name in cli._BLAS_THREADS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    cli._one_blas_thread()
    import os

    assert os.environ["OPENBLAS_NUM_THREADS"] == "1" and os.environ["MKL_NUM_THREADS"] == "1"
    assert os.environ["OMP_NUM_THREADS"] == "3"


def test_numpy_is_imported_after_the_blas_thread_count_is_set():
    # numpy reads the count when it is first imported: `verify` must not import it before run() sets it
    code = "import sys; import verifier.cli; sys.exit('numpy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_the_command_exits_without_teardown_but_loses_no_output(tmp_path):
    # entry() ends the process with os._exit after main(): stdout, the warnings on stderr and the
    # exit code must all arrive (here: a cache that cannot be written, three claims, exit code 0).
    (tmp_path / "file").write_text("")
    directory = tmp_path / "file" / "cache"
    env = dict(os.environ, DERIVATION_VERIFIER_CACHE=str(directory))
    env.pop("PYTHONUNBUFFERED", None)  # buffered, as a user's shell has it (this machine sets it)
    proc = subprocess.run([sys.executable, "-m", "verifier", "1.5", "--format", "json", "--jobs", "1"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0
    assert [c["verdict"] for c in json.loads(proc.stdout)["claims"]] == ["proved"] * 3
    assert proc.stderr == f"verify: warning: cannot write the result cache in {directory} (Not a directory); results are not cached\n"


def test_under_a_profiler_the_command_exits_normally_so_the_profile_is_written(tmp_path):
    out = tmp_path / "run.prof"
    proc = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), str(ROOT / "cli.py"), "--help"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 0
