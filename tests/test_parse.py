"""The whitelist parser behind `verify check`: what it builds, what it refuses (exact messages), the CLI verb."""
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

import verifier.cli
from verifier import ClaimError, UnsafeInputError
from verifier.parse import check_claim, parse_domain, parse_expression

x, y, n, p = sp.symbols("x y n p")

ALLOWED = (
    "allowed: numbers, names, + - * / **, unary -, pi, E, oo and calls to sin, cos, tan, asin, acos, atan, "
    "sinh, cosh, tanh, exp, log, sqrt, Abs, factorial, binomial, gamma, floor, ceiling"
)
FUNCTIONS = "sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, exp, log, sqrt, Abs, factorial, binomial, gamma, floor, ceiling"
SYNTAX = "write arithmetic like (x + 1)**2 / 2 - sin(x)"
DOMAIN_FORM = 'write NAME: (lo, hi), e.g. --where "x: (-oo, oo)" or --where "n: integer (1, 10)"'


@pytest.mark.parametrize(
    "text,expected",
    [
        ("(x+1)**2", (x + 1) ** 2),
        ("x**2 + 2*x + 1", x**2 + 2 * x + 1),
        ("0.1*x", sp.Rational(1, 10) * x),  # the decimal text, exactly: not 0.1000000000000000055…
        ("1e-3", sp.Rational(1, 1000)),
        ("1_000", sp.Integer(1000)),
        ("1/3", sp.Rational(1, 3)),
        ("-x", -x),
        ("+x", x),
        ("x - y/2", x - y / 2),
        ("2**(1/2)", sp.sqrt(2)),
        ("sin(x)**2 + cos(x)**2", sp.sin(x) ** 2 + sp.cos(x) ** 2),
        ("log(x, 2)", sp.log(x, 2)),
        ("exp(x) * E**y", sp.exp(x) * sp.exp(y)),
        ("pi", sp.pi),
        ("-oo", -sp.oo),
        ("Abs(x) + floor(x) + ceiling(x)", sp.Abs(x) + sp.floor(x) + sp.ceiling(x)),
        ("binomial(n, 2) + factorial(5) + gamma(p)", sp.binomial(n, 2) + 120 + sp.gamma(p)),
        ("asin(x) + acos(x) + atan(x) + tan(x)", sp.asin(x) + sp.acos(x) + sp.atan(x) + sp.tan(x)),
        ("sinh(x) + cosh(x) + tanh(x) + sqrt(x)", sp.sinh(x) + sp.cosh(x) + sp.tanh(x) + sp.sqrt(x)),
        ("gamma", sp.Symbol("gamma")),  # a function name used as a name is a symbol (a learning rate)
        ("x_1 + x1", sp.Symbol("x_1") + sp.Symbol("x1")),
        ("10**1000", sp.Integer(10) ** 1000),
        ("(((x)))", x),
        ("+".join(["x"] * 600), 600 * x),  # a long sum is flat, not deep
    ],
)
def test_good_input_builds_the_expected_sympy_object(text, expected):
    assert parse_expression(text) == expected


def test_names_map_to_the_given_symbols():
    k = sp.Symbol("k", integer=True)
    out = parse_expression("k**2 + x", {"k": k})
    assert k in out.free_symbols and sp.Symbol("k") not in out.free_symbols


# (input, the problem, the hint): the exact message a user sees after "verify: ".
BAD = [
    ("x.__class__", "refused attribute access in 'x.__class__'", ALLOWED),
    ("__import__('os')", "unknown function '__import__' in \"__import__('os')\"", f"functions allowed: {FUNCTIONS}; write * for a product, e.g. x*(y + 1)"),
    ("foo(x)", "unknown function 'foo' in 'foo(x)'", f"functions allowed: {FUNCTIONS}; write * for a product, e.g. x*(y + 1)"),
    ("x(y + 1)", "unknown function 'x' in 'x(y + 1)'", f"functions allowed: {FUNCTIONS}; write * for a product, e.g. x*(y + 1)"),
    ("__class__", "refused the name __class__ in '__class__'", "names start with a letter"),
    ("x.y()", "refused a call of something other than a function name in 'x.y()'", ALLOWED),
    ("x[0]", "refused a subscript in 'x[0]'", "write indexed quantities as plain names, e.g. x1 or x_1"),
    ("lambda: 1", "refused a lambda in 'lambda: 1'", ALLOWED),
    ("[x for x in y]", "refused a comprehension in '[x for x in y]'", ALLOWED),
    ("sum(x for x in y)", "unknown function 'sum' in 'sum(x for x in y)'", f"functions allowed: {FUNCTIONS}; write * for a product, e.g. x*(y + 1)"),
    ("sin(x=1)", "refused keyword arguments in 'sin(x=1)'", "give the arguments by position"),
    ("sin(*x)", "refused a starred argument in '*x'", ALLOWED),
    ("'a'", "refused a string in \"'a'\"", ALLOWED),
    ("f'{x}'", "refused a string in \"f'{x}'\"", ALLOWED),
    ("True", "refused the constant True in 'True'", ALLOWED),
    ("1j", "refused a complex number in '1j'", "verify checks real identities only"),
    ("I", "refused the imaginary unit I in 'I'", "verify checks real identities only; use another name for a variable"),
    ("sqrt(-1)", "'sqrt(-1)' is not real (it involves sqrt(-1))", "verify checks real identities only"),
    ("1/0", "'1/0' is undefined (a division by zero?)", "check the denominators"),
    ("x ^ 2", "refused the operator ^ in 'x ^ 2'", "use ** for powers"),
    ("x // 2", "refused the operator // in 'x // 2'", ALLOWED),
    ("not x", "refused the operator not in 'not x'", ALLOWED),
    ("x < y", "refused a comparison in 'x < y'", "give the two sides as separate arguments (and --rel for an inequality)"),
    ("(x, y)", "refused a tuple in '(x, y)'", "give each line of a chain as its own argument"),
    ("(y := 2)", "refused an assignment expression in 'y := 2'", ALLOWED),
    ("x if y else 1", "refused a conditional expression in 'x if y else 1'", ALLOWED),
    ("E(x)", "E is a constant, not a function: 'E(x)'", "for e**x write exp(x)"),
    ("sin(x, y)", "sin takes 1 argument, got 2 in 'sin(x, y)'", ALLOWED),
    ("binomial(n)", "binomial takes 2 arguments, got 1 in 'binomial(n)'", ALLOWED),
    ("10**10**10", "power '10**10**10' has an exponent of about 10**10 (limit 1000)", "use a smaller exponent"),
    ("2**100000", "power '2**100000' has an exponent of about 100000 (limit 1000)", "use a smaller exponent"),
    ("2**2**2**2**2", "power '2**2**2**2**2' has an exponent of about 65536 (limit 1000)", "use a smaller exponent"),
    ("x**5000", "power 'x**5000' has an exponent of about 5000 (limit 1000)", "use a smaller exponent"),
    ("(10**1000)**1000", "power '(10**1000)**1000' would have about 1000022 digits (limit 10000)", "use smaller numbers"),
    ("factorial(10**6)", "factorial of about 10**6 in 'factorial(10**6)' is too large (limit 1000)", "use a smaller argument"),
    ("1e20000", "number '1e20000' is too large (more than 10000 digits)", "use a smaller number"),
    ("x" * 2001, "expression is 2001 characters long (limit 2000)", "check a shorter identity, or split a chain into lines"),
    ("-" * 60 + "x", "expression nested more than 50 levels deep", "simplify the nesting or split the identity into lines"),
    ("sin(" * 51 + "x" + ")" * 51, "expression nested more than 50 levels deep", "simplify the nesting or split the identity into lines"),
    ("x +", "cannot parse expression 'x +': invalid syntax", SYNTAX),
    ("import os", "cannot parse expression 'import os': invalid syntax", SYNTAX),
    ("x\x00", "cannot parse expression 'x\\x00': source code string cannot contain null bytes", SYNTAX),
    ("   ", "expression is empty", 'e.g. "(x+1)**2"'),
]


@pytest.mark.parametrize("text,problem,hint", BAD, ids=[b[0][:30] for b in BAD])
def test_bad_input_is_refused_with_an_exact_message(text, problem, hint):
    with pytest.raises(UnsafeInputError) as info:
        parse_expression(text)
    assert info.value.problem == problem
    assert info.value.hint == hint
    assert str(info.value) == f"{problem}\n  hint: {hint}"


@pytest.mark.parametrize(
    "text,symbol,bounds,integer",
    [
        ("p: (0, 1)", "p", (0, 1), None),
        ("x: (-oo, oo)", "x", (-sp.oo, sp.oo), None),
        ("n: integer (1, 10)", "n", (1, 10), True),
        ("a: (1/3, pi)", "a", (sp.Rational(1, 3), sp.pi), None),
        ("b:(0.5, 2.25)", "b", (sp.Rational(1, 2), sp.Rational(9, 4)), None),
        ("c: real (-2*pi, sqrt(2))", "c", (-2 * sp.pi, sp.sqrt(2)), None),
    ],
)
def test_good_domains(text, symbol, bounds, integer):
    sym, got = parse_domain(text)
    assert sym.name == symbol and sym.is_integer is integer
    assert got == bounds


@pytest.mark.parametrize(
    "text,problem,hint",
    [
        ("p (0, 1)", "domain 'p (0, 1)' is not of the form NAME: (lo, hi)", DOMAIN_FORM),
        ("p: integer", "domain 'p: integer' is not of the form NAME: (lo, hi)", DOMAIN_FORM),
        ("p: (1, 0)", "domain 'p: (1, 0)' is empty", "give the lower bound first"),
        ("p: (0, 1, 2)", "domain 'p: (0, 1, 2)': the bounds must be a pair (lo, hi)", DOMAIN_FORM),
        ("p: [0, 1]", "domain 'p: [0, 1]': the bounds must be a pair (lo, hi)", DOMAIN_FORM),
        ("p: (0, 1", "cannot parse domain 'p: (0, 1': '(' was never closed", DOMAIN_FORM),
        ("pi: (0, 1)", "domain 'pi: (0, 1)': pi is a constant, not a variable", "choose another name for the variable"),
        ("__x: (0, 1)", "domain '__x: (0, 1)': '__x' is not a name", "a name is a letter followed by letters, digits or _"),
        ("p: (0, q)", "domain 'p: (0, q)': bound 'q' is not a real number", "bounds are numbers like 0, -1/3, 2.5, pi, -oo, oo"),
        ("p: (0, x.__class__)", "domain 'p: (0, x.__class__)': refused attribute access in 'x.__class__'", ALLOWED),
        ("p: (0, 1/0)", "domain 'p: (0, 1/0)': '1/0' is undefined (a division by zero?)", "check the denominators"),
    ],
)
def test_bad_domains(text, problem, hint):
    with pytest.raises(UnsafeInputError) as info:
        parse_domain(text)
    assert (info.value.problem, info.value.hint) == (problem, hint)


def test_check_claim_builds_a_chain_with_the_domains():
    c = check_claim(["(x+1)**2", "x**2+2*x+1"], ['x: (-oo, oo)'])
    assert c.id == "check" and [s.expr for s in c.steps] == [(x + 1) ** 2, x**2 + 2 * x + 1]
    assert str(c.domain[x]) == "(-oo, oo)"
    k = check_claim(["k", "k**2"], ["k: integer (0, 1)"], rel="<=")
    (sym,) = k.domain
    assert sym.is_integer and [s.rel for s in k.steps[1:]] == ["<="]


def test_check_claim_names_a_free_symbol_without_a_domain_and_the_fix():
    with pytest.raises(ClaimError) as info:
        check_claim(["x*y", "y*x"], ["x: (0, 1)"])
    assert info.value.problem == "free symbol y without a domain"
    assert info.value.hint == '--where "y: (-oo, oo)" (or the interval it lives in, e.g. "(0, 1)", "integer (1, 10)")'


def test_check_claim_says_which_line_was_refused():
    with pytest.raises(UnsafeInputError) as info:
        check_claim(["x", "x.__class__"], ["x: (0, 1)"])
    assert info.value.problem == "line 1: refused attribute access in 'x.__class__'"


# --- the CLI verb ---------------------------------------------------------------------------------


def run(*args):
    return subprocess.run([sys.executable, "cli.py", *args], capture_output=True, text=True, cwd=Path(verifier.cli.__file__).parents[1], timeout=120)


def test_check_exit_0_when_the_identity_holds():
    proc = run("check", "(x+1)**2", "x**2+2*x+1", "--where", "x: (-oo, oo)")
    assert proc.returncode == 0, proc.stderr
    assert "✔" in proc.stdout and "1 proved" in proc.stdout
    assert proc.stderr == ""


def test_check_exit_1_with_a_counterexample_when_a_line_is_wrong():
    proc = run("check", "(x+1)**2", "x**2+2*x+2", "x**2+2*x+1", "--where", "x: (-10, 10)", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    import json

    (claim,) = json.loads(proc.stdout)["claims"]
    assert claim["id"] == "check" and claim["verdict"] == "refuted"
    assert [e["step"] for e in claim["errata"]] == [1] and claim["errata"][0]["kind"] == "isolated"


def test_check_reads_a_leading_minus_as_an_expression_not_an_option():
    proc = run("check", "-x**2", "-(x*x)", "--where", "x: (0, 1)", "--seed", "7")
    assert proc.returncode == 0, proc.stderr
    assert "seed 7" in proc.stdout


@pytest.mark.parametrize(
    "args,message",
    [
        (("check", "(x+1)**2", "x**2+2*x+1"), 'verify: free symbol x without a domain\n  hint: --where "x: (-oo, oo)"'),
        (("check", "x.__class__", "x", "--where", "x: (0, 1)"), "verify: line 0: refused attribute access in 'x.__class__'"),
        (("check", "__import__('os').system('true')", "0"), "verify: line 0: refused a call of something other than a function name"),
        (("check", "2**100000", "1"), "verify: line 0: power '2**100000' has an exponent of about 100000 (limit 1000)"),
        (("check", "x"), "verify: `verify check` needs at least two expressions, got 1"),
        (("check", "x", "x", "--where", "x (0, 1)"), "verify: domain 'x (0, 1)' is not of the form NAME: (lo, hi)"),
        (("1.3", "--where", "x: (0, 1)"), "verify: --where and --rel only apply to `verify check`"),
    ],
)
def test_check_bad_input_exits_2_with_one_message_and_no_traceback(args, message):
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(message)
    assert "Traceback" not in proc.stderr


# --- characters: plain ASCII only (Python would NFKC-fold look-alikes silently) -------------------

GREEK = "(names are ASCII: letters, digits and _)"


@pytest.mark.parametrize(
    "text,problem,hint",
    [
        ("ｘ + 1", "refused the character 'ｘ' (U+FF58 FULLWIDTH LATIN SMALL LETTER X) in 'ｘ + 1'", "type the plain ASCII 'x' instead"),
        ("𝐸", "refused the character '𝐸' (U+1D438 MATHEMATICAL ITALIC CAPITAL E) in '𝐸'",
         "type the plain ASCII 'E' instead (E is Euler's number: a variable needs another name)"),
        ("x + １", "refused the character '１' (U+FF11 FULLWIDTH DIGIT ONE) in 'x + １'", "type the plain ASCII '1' instead"),
        ("α*x", "refused the character 'α' (U+03B1 GREEK SMALL LETTER ALPHA) in 'α*x'", f"write Greek letters by name, e.g. alpha {GREEK}"),
        ("λ", "refused the character 'λ' (U+03BB GREEK SMALL LETTER LAMDA) in 'λ'", f"write Greek letters by name, e.g. lamda {GREEK}"),
        ("Σ", "refused the character 'Σ' (U+03A3 GREEK CAPITAL LETTER SIGMA) in 'Σ'", f"write Greek letters by name, e.g. Sigma {GREEK}"),
        ("µ", "refused the character 'µ' (U+00B5 MICRO SIGN) in 'µ'", f"write Greek letters by name, e.g. mu {GREEK}"),
        ("x²", "refused the character '²' (U+00B2 SUPERSCRIPT TWO) in 'x²'", "write **2 instead"),
        ("x − 1", "refused the character '−' (U+2212 MINUS SIGN) in 'x − 1'", "write - instead"),
        ("2×x", "refused the character '×' (U+00D7 MULTIPLICATION SIGN) in '2×x'", "write * instead"),
        ("x\u00a0+ 1", "refused the character '\\xa0' (U+00A0 NO-BREAK SPACE) in 'x\\xa0+ 1'", "type a plain space instead"),
        ("x\u200b", "refused the character '\\u200b' (U+200B ZERO WIDTH SPACE) in 'x\\u200b'", "delete it (an invisible formatting character)"),
        ("é", "refused the character 'é' (U+00E9 LATIN SMALL LETTER E WITH ACUTE) in 'é'",
         "expressions are plain ASCII: names like x1, numbers, + - * / ** and parentheses"),
    ],
)
def test_characters_outside_ascii_are_refused_by_name(text, problem, hint):
    with pytest.raises(UnsafeInputError) as info:
        parse_expression(text)
    assert (info.value.problem, info.value.hint) == (problem, hint)


def test_look_alikes_are_refused_in_domains_and_lines_too():
    with pytest.raises(UnsafeInputError) as info:
        parse_domain("ｘ: (0, 1)")
    assert info.value.problem == "domain 'ｘ: (0, 1)': refused the character 'ｘ' (U+FF58 FULLWIDTH LATIN SMALL LETTER X)"
    with pytest.raises(UnsafeInputError) as info:
        check_claim(["x", "ｘ"], ["x: (0, 1)"])
    assert info.value.problem == "line 1: refused the character 'ｘ' (U+FF58 FULLWIDTH LATIN SMALL LETTER X) in 'ｘ'"


def test_greek_letters_by_name_are_symbols():
    assert parse_expression("alpha*sigma + lamda") == sp.Symbol("alpha") * sp.Symbol("sigma") + sp.Symbol("lamda")


def test_check_refuses_a_mathematical_e_instead_of_reading_eulers_number():
    proc = run("check", "𝐸", "E", "--where", "x: (0, 1)")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("verify: line 0: refused the character '𝐸' (U+1D438 MATHEMATICAL ITALIC CAPITAL E) in '𝐸'\n")
    assert "Traceback" not in proc.stderr
