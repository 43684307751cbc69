"""The pytest plugin: claims as items, erratum text on failure, notes' errata xfail unless strict."""
import pytest

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
    assert "Traceback" not in result.stdout.str()
    assert "verifier/engine.py" not in result.stdout.str()


def test_notes_errata_xfail_by_default_and_fail_when_strict(pytester):
    pytester.makeconftest("")
    result = pytester.runpytest_subprocess("--claims", "-p", "no:cacheprovider", "-k", "1.17 or 1.5", "-rx")
    result.assert_outcomes(passed=4, xfailed=1)
    result.stdout.fnmatch_lines(["*1.17:variance*known erratum of the notes: line 3*"])
    strict = pytester.runpytest_subprocess("--claims", "--claims-strict", "-p", "no:cacheprovider", "-k", "1.17")
    strict.assert_outcomes(passed=1, failed=1)
    strict.stdout.fnmatch_lines(["*1.17:variance, line 3*isolated*", "*X_1 = 0*"])


def test_without_the_option_no_claims_are_collected(pytester):
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_a_module_without_claims_is_a_usage_error(pytester):
    pytester.makepyfile(empty="x = 1\n")
    result = pytester.runpytest_subprocess("--claims=empty.py", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*no verifier.Claim found at module level*"])
