"""The pytest plugin: claims as items, erratum text on failure, only the baseline's errata xfail."""
import json

import pytest

BASELINE = "claims-baseline.json"

USER_CLAIMS = '''
import sympy as sp
from verifier import Claim

x = sp.Symbol("x")
good = Claim("mine:square", [(x + 1) ** 2, x**2 + 2 * x + 1], domain={x: (-5, 5)})
bad = Claim("mine:typo", [(x + 1) ** 2, x**2 + 2 * x + 2], domain={x: (-5, 5)}, corrections={1: x**2 + 2 * x + 1})
'''


def test_user_claims_are_items_named_by_id(pytester):
    pytester.makepyfile(my_claims=USER_CLAIMS)
    result = pytester.runpytest_subprocess("--claims=my_claims.py", "-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*mine:square PASSED*", "*mine:typo FAILED*"])
    # The failure is the erratum, not a traceback.
    result.stdout.fnmatch_lines(["*claim mine:typo is refuted*", "*as written:  x**2 + 2*x + 2*", "*corrected:   x**2 + 2*x + 1   [[]proved[]]*", "*x = 1*"])
    result.stdout.fnmatch_lines(["*mine:typo is refuted at line 1 and not in the baseline *claims-baseline.json: fix the claim, or record it"
                                 " as a known erratum with `pytest --claims=my_claims.py --claims-update-baseline` and commit the baseline*"])
    assert "Traceback" not in result.stdout.str()
    assert "verifier/engine.py" not in result.stdout.str()


def test_catalogue_errata_fail_until_recorded_in_the_baseline_then_xfail(pytester):
    pytester.makeconftest("")
    select = ["-p", "no:cacheprovider", "-k", "1.17 or 1.5", "-rx"]
    # No baseline: a refuted catalogue claim is a failure like any other.
    first = pytester.runpytest_subprocess("--claims", *select)
    first.assert_outcomes(passed=4, failed=1)
    first.stdout.fnmatch_lines(["*claims baseline: *claims-baseline.json (none yet*", "*1.17:variance is refuted at lines 3, 7 and not in the baseline*"])
    # Recording it is explicit; the file holds the verdict and the erratum lines.
    update = pytester.runpytest_subprocess("--claims", "--claims-update-baseline", *select)
    update.assert_outcomes(passed=4, xfailed=1)
    update.stdout.fnmatch_lines(["*claims baseline written: *claims-baseline.json (1 known); review and commit it*"])
    doc = json.loads((pytester.path / BASELINE).read_text())
    assert doc["claims"] == {"1.17:variance": {"verdict": "refuted", "errata": [3, 7]}}
    # From then on exactly that erratum xfails.
    again = pytester.runpytest_subprocess("--claims", *select)
    again.assert_outcomes(passed=4, xfailed=1)
    again.stdout.fnmatch_lines(["*claims baseline: *claims-baseline.json (1 known)*", "*1.17:variance*in the baseline: known erratum: line 3*"])
    strict = pytester.runpytest_subprocess("--claims", "--claims-strict", "-p", "no:cacheprovider", "-k", "1.17")
    strict.assert_outcomes(passed=1, failed=1)
    strict.stdout.fnmatch_lines(["*1.17:variance, line 3*isolated*", "*X_1 = 0*"])


def write_baseline(pytester, entries, name=BASELINE):
    (pytester.path / name).write_text(json.dumps({"claims": entries}))


def test_a_claim_that_matches_its_baseline_entry_xfails(pytester):
    pytester.makepyfile(my_claims=USER_CLAIMS)
    write_baseline(pytester, {"mine:typo": {"verdict": "refuted", "errata": [1]}})
    result = pytester.runpytest_subprocess("--claims=my_claims.py", "-p", "no:cacheprovider", "-rx")
    result.assert_outcomes(passed=1, xfailed=1)
    result.stdout.fnmatch_lines(["*mine:typo - in the baseline: known erratum: line 1 says x**2 + 2*x + 2; should be x**2 + 2*x + 1*"])


def test_a_different_erratum_than_the_baseline_fails(pytester):
    pytester.makepyfile(my_claims=USER_CLAIMS)
    write_baseline(pytester, {"mine:typo": {"verdict": "refuted", "errata": [2]}})
    result = pytester.runpytest_subprocess("--claims=my_claims.py", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*the baseline * expects mine:typo to be refuted at line 2, but it is refuted at line 1:"
        " fix the claim, or update the baseline with `pytest --claims=my_claims.py --claims-update-baseline`*"
    ])


def test_a_baselined_claim_that_now_holds_fails_saying_to_update(pytester):
    pytester.makepyfile(my_claims=USER_CLAIMS)
    write_baseline(pytester, {"mine:square": {"verdict": "refuted", "errata": [1]}, "mine:typo": {"verdict": "refuted", "errata": [1]}})
    result = pytester.runpytest_subprocess("--claims=my_claims.py", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, xfailed=1)
    result.stdout.fnmatch_lines([
        "*claim mine:square now holds (proved), but the baseline * records it as refuted at line 1:"
        " update the baseline with `pytest --claims=my_claims.py --claims-update-baseline` and commit it*"
    ])


FAKE_ENGINE = """
import verifier
from verifier.results import ClaimResult, LinkResult

_real = verifier.verify


def _verify(claim, seed=None, timeout=None):
    # Undecided outcomes on demand, without a clock: the engine itself is not under test here.
    kinds = {"mine:slow": ("inconclusive", "timeout", "no strategy settled it within 20 s"), "mine:broken": ("error", "error", "ValueError: boom")}
    if claim.id in kinds:
        verdict, method, detail = kinds[claim.id]
        return ClaimResult(id=claim.id, equation=None, section=None, title="", verdict=verdict, method=method, seconds=0.0,
                           steps=(LinkResult(1, verdict, method, detail),), seed=seed, source=claim.source, lines=("x", "x"))
    return _real(claim, seed=seed, timeout=timeout)


verifier.verify = _verify
"""
UNDECIDED = USER_CLAIMS + """
slow = Claim("mine:slow", [x, x], domain={x: (0, 1)})
broken = Claim("mine:broken", [x, x], domain={x: (0, 1)})
"""


def test_timeouts_and_errors_fail_unless_baselined(pytester):
    pytester.makeconftest(FAKE_ENGINE)
    pytester.makepyfile(my_claims=UNDECIDED)
    result = pytester.runpytest_subprocess("--claims=my_claims.py", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(["*mine:slow is inconclusive (timed out: not decided) and not in the baseline*"])
    result.stdout.fnmatch_lines(["*mine:broken is error and not in the baseline*"])
    write_baseline(pytester, {"mine:slow": {"verdict": "inconclusive"}, "mine:broken": {"verdict": "error", "errata": []}})
    baselined = pytester.runpytest_subprocess("--claims=my_claims.py", "-p", "no:cacheprovider")
    baselined.assert_outcomes(passed=1, failed=1, xfailed=2)  # mine:typo is still not in it


def test_update_keeps_claims_not_run_and_drops_claims_that_now_hold(pytester):
    pytester.makepyfile(my_claims=USER_CLAIMS)
    write_baseline(pytester, {"other:claim": {"verdict": "inconclusive", "errata": []}, "mine:square": {"verdict": "refuted", "errata": [1]}},
                   name="known.json")
    result = pytester.runpytest_subprocess("--claims=my_claims.py", "--claims-update-baseline", "--claims-baseline=known.json", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, xfailed=1)
    text = (pytester.path / "known.json").read_text()
    assert json.loads(text)["claims"] == {"mine:typo": {"verdict": "refuted", "errata": [1]}, "other:claim": {"verdict": "inconclusive", "errata": []}}
    assert '    "mine:typo": {"verdict": "refuted", "errata": [1]},\n' in text  # one claim a line: diffs read well
    assert not (pytester.path / BASELINE).exists()


@pytest.mark.parametrize(
    "content,message",
    [
        ("{not json", "*claims baseline *bad.json is not readable JSON (*); repair it, or delete it and record a new one with"
                      " `pytest --claims=my_claims.py --claims-update-baseline --claims-baseline=bad.json`*"),
        ('{"claims": []}', '*claims baseline *bad.json has no "claims" object*'),
        ('{"claims": {"mine:typo": {"verdict": "proved"}}}', "*the entry for 'mine:typo' is not {\"verdict\": \"refuted\"|\"inconclusive\"|\"error\", \"errata\": [[]line, …[]]}*"),
    ],
)
def test_a_malformed_baseline_is_a_usage_error_naming_the_file(pytester, content, message):
    pytester.makepyfile(my_claims=USER_CLAIMS)
    (pytester.path / "bad.json").write_text(content)
    result = pytester.runpytest_subprocess("--claims=my_claims.py", "--claims-baseline=bad.json", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


@pytest.mark.parametrize("option,message", [
    ("--claims-timeout=nan", "*--claims-timeout must be a positive number of seconds up to 3600, got nan; e.g. --claims-timeout 20*"),
    ("--claims-timeout=0", "*--claims-timeout must be a positive number of seconds up to 3600, got 0*"),
    ("--claims-seed=-1", "*--claims-seed must be a whole number ≥ 0, got -1; e.g. --claims-seed 20190709*"),
])
def test_bad_seed_or_timeout_is_a_usage_error(pytester, option, message):
    pytester.makepyfile(my_claims=USER_CLAIMS)
    result = pytester.runpytest_subprocess("--claims=my_claims.py", option, "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_without_the_option_no_claims_are_collected(pytester):
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_a_module_without_claims_is_a_usage_error(pytester):
    pytester.makepyfile(empty="x = 1\n")
    result = pytester.runpytest_subprocess("--claims=empty.py", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*no verifier.Claim found at module level*"])
