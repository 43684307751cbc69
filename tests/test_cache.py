"""The result cache: content-addressed, never trusts a corrupted or foreign file; parallel = serial."""
import json

import sympy as sp

from verifier import Claim
from verifier.cache import ResultCache, claim_key
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
