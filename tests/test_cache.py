"""The result cache: content-addressed, never trusts a corrupted or foreign file, says so when it
cannot be used (the run goes on); parallel = serial."""
import importlib.util
import json
import logging
import sys
import textwrap

import pytest
import sympy as sp

from verifier import Claim
from verifier.cache import ResultCache, claim_key
from verifier.defaults import DEFAULT_SEED, DEFAULT_TIMEOUT
from verifier.runner import run_claims

x = sp.Symbol("x")


def _claims():
    return [
        Claim("c:ok", [(x + 1) ** 2, x**2 + 2 * x + 1], domain={x: (-3, 3)}),
        Claim("c:bad", [(x + 1) ** 2, x**2 + 2 * x + 2], domain={x: (-3, 3)}),
    ]


def _plain(results):
    out = []
    for r in results:
        d = r.to_dict()
        d.pop("seconds"), d.pop("cached")
        for s in d["steps"]:
            s.pop("seconds")
        out.append(d)
    return out


def test_second_run_reads_the_cache_and_gives_the_same_results(tmp_path):
    cache = ResultCache(tmp_path)
    first = run_claims(_claims(), seed=1, timeout=10, cache=cache)
    second = run_claims(_claims(), seed=1, timeout=10, cache=cache)
    assert [r.cached for r in first] == [False, False]
    assert [r.cached for r in second] == [True, True]
    assert _plain(first) == _plain(second)
    assert second[1].errata[0].counterexample == first[1].errata[0].counterexample


def test_key_depends_on_lines_domain_seed_and_timeout():
    a = Claim("k", [x, x], domain={x: (0, 1)})
    assert claim_key(a, 1, 10) == claim_key(Claim("k", [x, x], domain={x: (0, 1)}, source=a.source), 1, 10)
    assert claim_key(a, 1, 10) != claim_key(a, 2, 10)
    assert claim_key(a, 1, 10) != claim_key(a, 1, 11)
    assert claim_key(a, 1, 10) != claim_key(Claim("k", [x, x + 0 * x**2, x], domain={x: (0, 1)}, source=a.source), 1, 10)
    assert claim_key(a, 1, 10) != claim_key(Claim("k", [x, x], domain={x: (0, 2)}, source=a.source), 1, 10)


def test_corrupted_and_foreign_files_are_ignored_and_rebuilt(tmp_path):
    cache = ResultCache(tmp_path)
    claims = _claims()
    run_claims(claims, seed=1, timeout=10, cache=cache)
    files = sorted(tmp_path.rglob("*.json"))
    assert len(files) == 2
    files[0].write_text("{not json")  # corrupted
    doc = json.loads(files[1].read_text())
    doc["payload"]["title"] += " (tampered)"  # the checksum no longer matches
    files[1].write_text(json.dumps(doc))
    again = run_claims(claims, seed=1, timeout=10, cache=cache)
    assert [r.cached for r in again] == [False, False]
    assert [r.verdict for r in again] == ["proved", "refuted"]
    # A file moved under another key is foreign: ignored.
    key_ok = claim_key(claims[0], 1, 10)
    key_bad = claim_key(claims[1], 1, 10)
    (tmp_path / key_bad[:2] / f"{key_bad}.json").write_text((tmp_path / key_ok[:2] / f"{key_ok}.json").read_text())
    assert cache.get(key_bad) is None


def test_no_cache_means_recomputing(tmp_path):
    cache = ResultCache(tmp_path)
    run_claims(_claims(), seed=1, timeout=10, cache=cache)
    fresh = run_claims(_claims(), seed=1, timeout=10, cache=None)
    assert [r.cached for r in fresh] == [False, False]


def test_parallel_results_equal_serial(tmp_path):
    serial = run_claims(_claims(), seed=3, timeout=10, jobs=1)
    parallel = run_claims(_claims(), seed=3, timeout=10, jobs=2)
    assert _plain(serial) == _plain(parallel)


def test_two_claims_sharing_an_id_each_get_their_own_result_in_parallel():
    # Workers used to look claims up by id: the second "dup" shadowed the first.
    twins = [
        Claim("dup", [(x + 1) ** 2, x**2 + 2 * x + 1], domain={x: (-3, 3)}),
        Claim("dup", [(x + 1) ** 2, x**2 + 2 * x + 2], domain={x: (-3, 3)}),
        Claim("dup", [x, x], domain={x: (0, 1)}),
    ]
    serial = run_claims(twins, seed=3, timeout=10, jobs=1)
    parallel = run_claims(twins, seed=3, timeout=10, jobs=3)
    assert [r.verdict for r in serial] == ["proved", "refuted", "proved"]
    assert _plain(parallel) == _plain(serial)


# --- what the cache says when it cannot be used (logger "verifier.cache"); the run goes on ------------


def _warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "verifier.cache" and r.levelno == logging.WARNING]


def test_a_corrupted_file_is_reported_and_recomputed_then_rebuilt(tmp_path, caplog):
    cache = ResultCache(tmp_path)
    claims = _claims()
    first = run_claims(claims, seed=1, timeout=10, cache=cache)
    key = claim_key(claims[1], 1, 10)
    path = tmp_path / key[:2] / f"{key}.json"
    path.write_text('{"format": 1, "key": "trunc')  # a write cut short
    caplog.set_level(logging.WARNING, logger="verifier.cache")
    again = run_claims(claims, seed=1, timeout=10, cache=cache)
    assert [r.cached for r in again] == [True, False]
    assert _plain(again) == _plain(first)
    assert _warnings(caplog) == [f"ignored the result cache file {path}: it is not a result cache file (truncated or corrupted); recomputing"]
    caplog.clear()
    rebuilt = run_claims(claims, seed=1, timeout=10, cache=cache)
    assert [r.cached for r in rebuilt] == [True, True]
    assert _warnings(caplog) == []


def test_an_edited_or_foreign_file_is_reported(tmp_path, caplog):
    cache = ResultCache(tmp_path)
    claims = _claims()
    run_claims(claims, seed=1, timeout=10, cache=cache)
    key_ok, key_bad = claim_key(claims[0], 1, 10), claim_key(claims[1], 1, 10)
    ok, bad = (tmp_path / k[:2] / f"{k}.json" for k in (key_ok, key_bad))
    doc = json.loads(ok.read_text())
    doc["payload"]["verdict"] = "checked"
    ok.write_text(json.dumps(doc))
    bad.write_text(json.dumps({**json.loads(bad.read_text()), "key": key_ok}))
    caplog.set_level(logging.WARNING, logger="verifier.cache")
    assert (cache.get(key_ok), cache.get(key_bad)) == (None, None)
    assert _warnings(caplog) == [
        f"ignored the result cache file {ok}: its checksum does not match its content (corrupted or edited); recomputing",
        f"ignored the result cache file {bad}: it was written for another key; recomputing",
    ]


def test_an_absent_file_is_a_plain_miss(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="verifier.cache")
    assert ResultCache(tmp_path).get("0" * 64) is None
    assert _warnings(caplog) == []


def test_an_unwritable_directory_is_reported_once_and_the_run_succeeds(tmp_path, caplog):
    # A file where the directory should be: no user, root included, can create the directory.
    (tmp_path / "file").write_text("")
    directory = tmp_path / "file" / "cache"
    caplog.set_level(logging.WARNING, logger="verifier.cache")
    results = run_claims(_claims(), seed=1, timeout=10, cache=ResultCache(directory))
    assert [(r.verdict, r.cached) for r in results] == [("proved", False), ("refuted", False)]
    assert _warnings(caplog) == [f"cannot write the result cache in {directory} (Not a directory); results are not cached"]
    assert [p.name for p in tmp_path.iterdir()] == ["file"]  # no temporary file left behind


# --- staleness: a claim file that changed is never served from the cache ------------------------------

USER_CLAIMS = textwrap.dedent(
    """
    from verifier import Claim, Numeric


    def inputs(rng):
        return {"a": rng.normal(size=4)}


    def twice(a):
        return 2 * a


    def doubled(a):
        return a + a


    doubling = Claim("mine:doubling", [Numeric(twice), Numeric(doubled)], inputs=inputs)
    """
)


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_changed_claim_file_is_not_served_from_the_cache(tmp_path, monkeypatch):
    # Code lines keep their names when their bodies change: only the file's content tells them apart,
    # and it must be read again, not remembered, in a process that outlives the edit.
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = tmp_path / "my_claims.py"
    path.write_text(USER_CLAIMS)
    cache = ResultCache(tmp_path / "cache")
    (before,) = run_claims([_load(path, "my_claims_before").doubling], seed=1, timeout=10, cache=cache)
    (same,) = run_claims([_load(path, "my_claims_same").doubling], seed=1, timeout=10, cache=cache)
    assert (before.verdict, before.cached, same.cached) == ("checked", False, True)
    path.write_text(USER_CLAIMS.replace("return a + a", "return a + a + 1"))
    changed = _load(path, "my_claims_after").doubling
    assert changed.source == before.source  # same file and line: the key must come from the content
    (after,) = run_claims([changed], seed=1, timeout=10, cache=cache)
    assert (after.verdict, after.cached) == ("refuted", False)


# --- parallel = serial on the catalogue -------------------------------------------------------------


def test_parallel_results_equal_serial_on_a_chapter_of_the_catalogue(catalog):
    # Chapter 2 (52 claims: errata with counterexamples and suggested fixes, numeric and property
    # lines) in about 15 s; the whole catalogue serially would take minutes on two cores.
    chapter = [c for c in catalog.values() if (c.section or "").startswith("2.")]
    assert len(chapter) >= 50
    serial = run_claims(chapter, seed=DEFAULT_SEED, timeout=DEFAULT_TIMEOUT, jobs=1)
    parallel = run_claims(chapter, seed=DEFAULT_SEED, timeout=DEFAULT_TIMEOUT, jobs=2)
    assert {r.verdict for r in serial} >= {"proved", "refuted"}
    assert _plain(parallel) == _plain(serial)


def test_expression_digest_tells_apart_what_srepr_tells_apart():
    from verifier.cache import expression_digest

    x, y = sp.symbols("x y")
    f, g = sp.Function("f"), sp.Function("g")
    d1, d2 = sp.Dummy("t"), sp.Dummy("t")
    pairs = [
        (x + 1, x + 2), (x, sp.Symbol("x", positive=True)), (f(x), g(x)), (f(x), sp.Function("f", real=True)(x)),
        (f(x, y), f(y, x)), (d1 - d2, d1 - d1 + x), (sp.Rational(1, 3), sp.Float(1 / 3)), (x**2, 2**x),
        (sp.Subs(f(d1), d1, x), sp.Subs(f(d1), d1, y)),
    ]
    for a, b in pairs:
        assert expression_digest(a) != expression_digest(b), (a, b)
    assert expression_digest(sp.Add(x, y)) == expression_digest(sp.Add(y, x))  # the same expression
    deep = x
    for _ in range(3000):  # deeper than the recursion limit
        deep = f(deep)
    assert len(expression_digest(deep)) == 64


def test_claim_keys_are_the_same_in_every_process():
    """SymPy names the Dummy of a derivative at a point after hash(point), which changes with
    PYTHONHASHSEED: the key must not (it is a cache key across runs)."""
    import subprocess
    import sys

    code = ("import sympy as sp\n"
            "from verifier import Claim\n"
            "from verifier.cache import claim_key\n"
            "w, x = sp.symbols('w x')\n"
            "s, L = sp.Function('sigma'), sp.Function('L')\n"
            "line = sp.Derivative(L(s(w * x), s(w + x)), w).doit()\n"
            "print(claim_key(Claim('k', [line, line], domain={w: (0, 1), x: (0, 1)}, source='here:1'), 1, 10))\n")
    keys = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(keys) == 1 and len(keys.pop().strip()) == 64


def _groups():
    # builders, as a catalogue's topics are: each called in the worker that verifies its claims
    return [
        lambda: _claims(),
        lambda: [Claim("g:one", [x * (x - 1), x**2 - x], domain={x: (-2, 2)})],
        lambda: [Claim("g:two", [x**3, x * x * x + 1], domain={x: (0, 4)}), Claim("g:three", [2 * x, x + x], domain={x: (0, 1)})],
    ]


def test_groups_built_in_workers_give_the_serial_results_in_group_order(tmp_path):
    from verifier.runner import run_groups

    serial = run_claims([c for build in _groups() for c in build()], seed=5, timeout=10, jobs=1)
    # the lightest group handed out first: the order of the results is still the groups' order
    parallel = run_groups(_groups(), seed=5, timeout=10, jobs=2, weights=[1.0, 2.0, 3.0])
    assert [r.id for r in parallel] == ["c:ok", "c:bad", "g:one", "g:two", "g:three"]
    assert _plain(parallel) == _plain(serial)
    seen = []
    run_groups(_groups(), seed=5, timeout=10, jobs=2, progress=lambda claim, result: seen.append(result.id))
    assert sorted(seen) == sorted(r.id for r in serial)


def test_groups_built_in_workers_read_and_fill_the_cache(tmp_path):
    from verifier.runner import run_groups

    cache = ResultCache(tmp_path)
    first = run_groups(_groups(), seed=5, timeout=10, jobs=2, cache=cache)
    assert not any(r.cached for r in first)
    again = run_groups(_groups(), seed=5, timeout=10, jobs=2, cache=cache)  # stored by the parent, read in the workers
    assert all(r.cached for r in again)
    assert _plain(again) == _plain(first)
    serial = run_claims([c for build in _groups() for c in build()], seed=5, timeout=10, cache=cache)
    assert all(r.cached for r in serial)  # the same keys as the serial runner's


def test_forked_workers_inherit_a_frozen_heap_and_a_higher_gc_threshold():
    """Workers forked inside runner._frozen collect young objects every _WORKER_GC_THRESHOLD
    allocations; the parent gets its own settings back afterwards."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from verifier import runner

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    before = gc.get_threshold()
    with runner._frozen(), ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        threshold, frozen = pool.submit(_gc_state).result()
    assert threshold[0] == runner._WORKER_GC_THRESHOLD and threshold[1:] == before[1:]
    assert frozen > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def _gc_state():
    import gc

    return gc.get_threshold(), gc.get_freeze_count()


def test_a_table_of_claims_prints_no_line_and_a_show_gets_them_from_the_cache(tmp_path):
    # `verify all` prints no line: its results carry none (printing every line of the catalogue
    # was 4% of a cold run). A later `verify show` of the same claims reads them back from the
    # cache and makes the lines it prints — the same as a run that printed them from the start.
    from verifier import verify
    from verifier.report import forms

    cache = ResultCache(tmp_path)
    table = run_claims(_claims(), seed=DEFAULT_SEED, timeout=DEFAULT_TIMEOUT, cache=cache, forms=forms("table", "claims"))
    assert [r.lines for r in table] == [(), ()]
    assert [r.line_verdicts for r in table] == [(None, "proved"), (None, "refuted")]
    shown = run_claims(_claims(), seed=DEFAULT_SEED, timeout=DEFAULT_TIMEOUT, cache=cache, forms=forms("table", "show"))
    assert all(r.cached for r in shown)
    assert [r.lines for r in shown] == [("(x + 1)**2", "x**2 + 2*x + 1"), ("(x + 1)**2", "x**2 + 2*x + 2")]
    assert all(r.pretty for r in shown)
    assert [r.lines for r in shown] == [verify(c).lines for c in _claims()]
    assert [r.line_verdicts for r in shown] == [r.line_verdicts for r in table]
