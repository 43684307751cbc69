r"""The notes' context: what the LaTeX does not say, read from a TOML sidecar (`notes.verify.toml`).

Where it is looked for: `--context PATH` when given; else `<notes>.verify.toml` beside the notes
(`notes.md` → `notes.verify.toml`); else the catalogue's `derivations/contexts/<stem>.verify.toml`. Without any,
every free symbol is real and the report says which steps need context.

    [notation]                       # how to read the LaTeX
    functions = ["sigma", "f"]       # names applied to arguments: σ(z), f(x)
    symbols = ["p", "lambda"]        # names that multiply a bracket: p(1-p)
    words = ["Var", "BN"]            # multi-letter names read as one
    label_subscripts = ["tr", "B"]   # subscripts that are part of a name: P_{tr}, μ_B
    layer_superscripts = ["l", "L"]  # a superscript made of these is an index: w^{l+1}_{jk}
    opaque = ["calL"]                # quantities whose derivatives the lines leave opaque (a loss ℒ)
    integers = ["i", "j", "n"]       # integer symbols (indices and sizes)
    names = { "S^{2}" = "S2" }       # LaTeX fragments read as one name (S² as a symbol); "P(y_i)" = "Py_i":
                                     # an entry of a name, at the index i
    indicators = ["I"]               # I(y_i = c_k) is 1 when the two sides are equal, else 0 (Kronecker δ)
    star = "convolution"             # a * w: the valid cross-correlation (3.9); "full convolution": the
                                     # full mode, the map zero-padded (3.14); "product": a product
    average = "i = 1..m"             # E[·] and Var[·] are over a sample: E[f] = (1/m) Σ_{i=1}^m f
    values = { X = "i = 1..n" }      # X is discrete with the values X_1 … X_n (values, not copies):
                                     # Σ_{i=1}^{n} h(X_i) P(X_i) is E[h(X)], the definition of E
    little_o = ["o"]                 # o(ρ) in a ≈ line: a remainder with o(ρ)/ρ → 0 as ρ → 0 ([limits])
    member = "i = 1"                 # a free i (x̂_i outside any sum) is one member of a family the
                                     # lines treat alike (a batch): each line is checked at i = 1

    [domains]                        # name = "(lo, hi)" reals, or "integer (lo, hi)"
    p = "(0, 1)"
    theta_k = "(0, 1)"               # entries: θ_1, θ_2, … are data, each a value of its own in (0, 1)
                                     # (else an indexed name is an arbitrary function of its indices)
    [ranges]                         # the range of an index summed without limits: \sum_k
    k = "1..K"
    M = "1..m"                       # a set summed over: Σ_{x_i ∈ M} is Σ_{i=1}^{m} (its members numbered)
    [random]                         # random variables: Generic, Bernoulli(p), Poisson(lambda), …
    X = "Generic"                    # also declares X_1, X_2, …: iid copies of X
    [where]                          # abbreviations, LaTeX = LaTeX
    "\\bar{X}" = "\\frac{1}{n}\\sum_{i=1}^{n} X_i"
    [limits]                         # for ≈: the symbol that tends to a value
    epsilon = "0+"
    [shapes]                         # names written whole are vectors or matrices with these entry
    delta = "1..J"                   # ranges; each line is then read at entry j (or j, k) of the
    w = "1..J, 1..K"                 # `entries` under [notation] (verifier/notes/entries.py):
                                     # entries = ["j", "k"]; W a → Σ_s W_js a_s, u v^T → u_j v_k;
                                     # broadcast = true: a number plus a matrix adds to every entry
    [support]                        # indexed names that are 0 outside these ranges of their first
    w = "1..r, 1..c"                 # indices: a kernel w_pq has no weight outside 1…r × 1…c, so a
                                     # printed w_{i+1-m, j+1-n} beyond the kernel is 0 (zero padding)

    [[scope]]                        # more of the same for some sections or labels only
    sections = ["1.1.2"]             # a section and its subsections
    labels = ["1.5"]
    [scope.random]
    X = "Bernoulli(p)"

    [[scope]]                        # what the text assumes in a passage ("if the conditionals are
    labels = ["3.17"]                # the same …"): a witness that refutes a line there must satisfy
    premises = ["P_{tr}(y|x) = P_{te}(y|x)", "P_{tr}(x) \\neq P_{te}(x)"]   # each premise exactly

    [[scope]]                        # an estimation passage: P(Y = c_k) on the left of a line is the
    labels = ["2.4"]                 # maximum-likelihood estimate from the data (notes.estimates)
    [scope.mle]
    parameter = "P(Y = c_k)"
    likelihood = "\\prod_{i=1}^{N} P(Y = y_i)"
    data = "y_i, i = 1..N"
    classes = "c_k, k = 1..K"        # the classes, numbered: c_k = k

    [[scope]]                        # a display that states an assumption (a hypothesis of the text),
    labels = ["3.16"]                # not a claim: its lines are listed as assumptions, never checked
    assumption = true

    [[scope]]                        # only some rows of a display (a `cases` block of several laws
    labels = ["FC-BP"]               # under one label, each needing its own model)
    rows = [1, 2]                    # 1-based rows of the display the chain starts on; with labels
                                     # or sections, never alone
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import VerifierError

KEYS = {"notation", "domains", "ranges", "random", "where", "limits", "support", "shapes", "scope", "premises", "mle"}
MLE_KEYS = {"parameter", "likelihood", "data", "classes"}
NAMED_RANGE = re.compile(r"\s*([A-Za-z])_([A-Za-z])\s*,\s*\2\s*=\s*1\s*\.\.\s*([A-Za-z]\w*)\s*")  # "y_i, i = 1..N"
NOTATION_KEYS = {"star", "indicators", "layered", "functions", "symbols", "words", "label_subscripts", "layer_superscripts", "opaque", "integers", "names", "paren_superscript_index", "average", "entries", "broadcast", "member", "little_o", "values"}
AVERAGE = re.compile(r"\s*([A-Za-z]\w*)\s*=\s*(-?\w+)\s*\.\.\s*(-?\w+)\s*")  # average = "i = 1..m"
MEMBER = re.compile(r"\s*([A-Za-z]\w*)\s*=\s*([1-9]\d{0,3})\s*")  # member = "i = 1"
DISTRIBUTIONS = ("Generic", "Bernoulli", "Binomial", "Poisson", "Uniform", "Normal", "Exponential", "Beta")


def split_premise(text: str) -> tuple[str, str, str] | None:
    """(lhs, "=" or "≠", rhs) of a premise with exactly one relation outside brackets (P(X = x) = …), else None."""
    found, depth = [], 0
    for m in re.finditer(r"[({\[]|[)}\]]|\\neq?(?![A-Za-z])|=", text):
        t = m.group()
        if t in "({[":
            depth += 1
        elif t in ")}]":
            depth -= 1
        elif depth == 0:
            found.append(m)
    if len(found) != 1 or depth != 0:
        return None
    m = found[0]
    lhs, rhs = text[:m.start()].strip(), text[m.end():].strip()
    return (lhs, "=" if m.group() == "=" else "≠", rhs) if lhs and rhs else None


class ContextError(VerifierError):
    """A context file that is missing or malformed; the message names the file, the entry and the fix."""


@dataclass
class Scope:
    """One layer of context: notation, domains, ranges, random variables, abbreviations, limits."""

    notation: dict[str, Any] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)
    ranges: dict[str, str] = field(default_factory=dict)
    random: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)
    limits: dict[str, str] = field(default_factory=dict)
    support: dict[str, str] = field(default_factory=dict)  # name → "lo..hi, lo..hi": 0 outside (zero padding)
    shapes: dict[str, str] = field(default_factory=dict)  # name → "lo..hi[, lo..hi]": a vector or matrix read by entry
    sections: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    rows: tuple[int, ...] = ()  # when given: only chains that start on one of these rows (1-based) of their display
    mle: dict[str, str] = field(default_factory=dict)  # an estimation passage: parameter, likelihood, data, classes
    premises: tuple[str, ...] = ()  # LaTeX "a = b" or "a \\neq b" the passage assumes: a witness must satisfy them
    assumption: bool = False  # the display states an assumption of the text: listed, never checked

    def applies(self, section: str | None, label: str | None, row: int | None = None) -> bool:
        """Does this scope cover a chain in `section` with `label` starting on display row `row`?"""
        if self.rows and row not in self.rows:
            return False
        if label is not None and label in self.labels:
            return True
        return section is not None and any(section == s or section.startswith(s + ".") for s in self.sections)


@dataclass
class Context:
    """The whole context file: defaults plus scopes; `for_chain` merges what applies to one chain."""

    path: str | None = None
    base: Scope = field(default_factory=Scope)
    scopes: list[Scope] = field(default_factory=list)

    def for_chain(self, section: str | None, label: str | None, row: int | None = None) -> Scope:
        """Defaults, then every scope that applies (later entries win; lists are joined); `row` is
        the 1-based row of its display the chain starts on (for scopes with `rows`)."""
        out = Scope(notation={k: (list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else v) for k, v in self.base.notation.items()},
                    domains=dict(self.base.domains), ranges=dict(self.base.ranges), random=dict(self.base.random),
                    where=dict(self.base.where), limits=dict(self.base.limits), support=dict(self.base.support),
                    shapes=dict(self.base.shapes), premises=self.base.premises, mle=dict(self.base.mle))
        for s in self.scopes:
            if not s.applies(section, label, row):
                continue
            for k, v in s.notation.items():
                if isinstance(v, list):
                    out.notation[k] = list(out.notation.get(k, [])) + v
                elif isinstance(v, dict):
                    out.notation[k] = {**out.notation.get(k, {}), **v}
                else:
                    out.notation[k] = v
            out.domains.update(s.domains)
            out.ranges.update(s.ranges)
            out.random.update(s.random)
            out.where.update(s.where)
            out.limits.update(s.limits)
            out.support.update(s.support)
            out.shapes.update(s.shapes)
            out.premises += tuple(p for p in s.premises if p not in out.premises)
            out.mle = dict(s.mle) or out.mle
            out.assumption = out.assumption or s.assumption
        return out


def find_context(notes: Path, explicit: str | None, project_contexts: Path | None = None) -> Path | None:
    """The context file for `notes`: --context, else beside the notes, else the catalogue's derivations/contexts/."""
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ContextError(f"context file {explicit} not found", "give an existing file to --context, or leave --context out")
        return p
    beside = notes.with_name(notes.stem + ".verify.toml")
    if beside.is_file():
        return beside
    if project_contexts is not None:
        shipped = project_contexts / (notes.stem + ".verify.toml")
        if shipped.is_file():
            return shipped
    return None


def load_context(path: Path | None) -> Context:
    """Read and validate a context file (None: an empty context)."""
    if path is None:
        return Context()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ContextError(f"context file {path} is not valid TOML: {exc}", "fix the syntax (strings in quotes; a backslash is written \\\\ in \"…\" or use '…')") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContextError(f"cannot read context file {path}: {exc}", "check the path and that it is UTF-8 text") from None
    base = _scope(data, str(path), "the top level", top=True)
    scopes = []
    raw_scopes = data.get("scope", [])
    if not isinstance(raw_scopes, list):
        raise ContextError(f"{path}: `scope` must be an array of tables ([[scope]])", "write each scope as [[scope]] with sections = [...] or labels = [...]")
    for k, s in enumerate(raw_scopes, 1):
        if not isinstance(s, dict):
            raise ContextError(f"{path}: scope {k} is not a table", "write [[scope]] then its keys")
        sc = _scope(s, str(path), f"scope {k}", top=False)
        if not sc.sections and not sc.labels:
            raise ContextError(f"{path}: scope {k} names no sections and no labels", 'add sections = ["1.1.2"] or labels = ["1.5"]')
        scopes.append(sc)
    return Context(str(path), base, scopes)


def _scope(data: Mapping[str, Any], path: str, where: str, top: bool) -> Scope:
    allowed = KEYS | ({"sections", "labels", "rows", "assumption"} if not top else set())
    unknown = sorted(set(data) - allowed - ({"scope"} if top else set()))
    if unknown:
        raise ContextError(f"{path}: unknown key {unknown[0]!r} in {where}", f"keys are {', '.join(sorted(allowed - {'scope'}))}")
    sc = Scope()
    notation = data.get("notation", {})
    if not isinstance(notation, dict):
        raise ContextError(f"{path}: [notation] in {where} must be a table", "write [notation] then functions = [...] etc.")
    for key, value in notation.items():
        if key not in NOTATION_KEYS:
            raise ContextError(f"{path}: unknown notation key {key!r} in {where}", f"notation keys are {', '.join(sorted(NOTATION_KEYS))}")
        if key == "names":
            if not isinstance(value, dict) or not all(isinstance(v, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(_[A-Za-z])?", v) for v in value.values()):
                raise ContextError(f"{path}: notation.names in {where} must map LaTeX to a plain name (or an entry of one, Py_i)",
                                   'e.g. names = { "S^{2}" = "S2" }')
        elif key == "star":
            if value not in ("convolution", "full convolution", "product"):
                raise ContextError(f"{path}: notation.star in {where} must be \"convolution\", \"full convolution\" or \"product\"",
                                   'e.g. star = "convolution"')
        elif key == "average":
            if not isinstance(value, str) or not AVERAGE.fullmatch(value):
                raise ContextError(f"{path}: notation.average in {where} must be an index and its range", 'e.g. average = "i = 1..m"')
        elif key == "member":
            if not isinstance(value, str) or not MEMBER.fullmatch(value):
                raise ContextError(f"{path}: notation.member in {where} must be an index and a positive whole number", 'e.g. member = "i = 1"')
        elif key == "values":
            if not isinstance(value, dict) or not all(isinstance(k, str) and re.fullmatch(r"[A-Za-z]\w*", k) and isinstance(v, str)
                                                      and AVERAGE.fullmatch(v) for k, v in value.items()):
                raise ContextError(f"{path}: notation.values in {where} must map a random variable to the index of its values and its range",
                                   'e.g. values = { X = "i = 1..n" }')
        elif key == "entries":
            if not isinstance(value, list) or not 1 <= len(value) <= 2 or not all(isinstance(v, str) and re.fullmatch(r"[A-Za-z]\w*", v) for v in value):
                raise ContextError(f"{path}: notation.entries in {where} must be one or two index names", 'e.g. entries = ["j", "k"]')
        elif key in ("paren_superscript_index", "broadcast"):
            if not isinstance(value, bool):
                raise ContextError(f"{path}: notation.{key} in {where} must be true or false", "")
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ContextError(f"{path}: notation.{key} in {where} must be a list of names", f'e.g. {key} = ["sigma"]')
        sc.notation[key] = value
    for key in ("domains", "ranges", "random", "where", "limits", "support", "shapes"):
        table = data.get(key, {})
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ContextError(f"{path}: [{key}] in {where} must map names to strings", _EXAMPLES[key])
        for name, value in table.items():
            _check_entry(key, name, value, path, where)
        setattr(sc, key, dict(table))
    premises = data.get("premises", [])
    if not isinstance(premises, list) or not all(isinstance(v, str) and split_premise(v) for v in premises):
        raise ContextError(f"{path}: premises in {where} must be a list of LaTeX equations, one relation each (= or \\neq)",
                           'e.g. premises = ["P_{tr}(y|x) = P_{te}(y|x)"]')
    sc.premises = tuple(premises)
    mle = data.get("mle", {})
    if not isinstance(mle, dict) or (mle and (set(mle) != MLE_KEYS or not all(isinstance(v, str) for v in mle.values())
                                              or not NAMED_RANGE.fullmatch(mle["data"]) or not NAMED_RANGE.fullmatch(mle["classes"]))):
        raise ContextError(f"{path}: [mle] in {where} must give parameter, likelihood, data and classes",
                           'e.g. parameter = "P(Y = c_k)", likelihood = "\\prod_{i=1}^{N} P(Y = y_i)", data = "y_i, i = 1..N", '
                           'classes = "c_k, k = 1..K"')
    sc.mle = dict(mle)
    if not top:
        assumption = data.get("assumption", False)
        if not isinstance(assumption, bool):
            raise ContextError(f"{path}: assumption in {where} must be true or false", "e.g. assumption = true")
        sc.assumption = assumption
        for key in ("sections", "labels"):
            value = data.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ContextError(f"{path}: {key} in {where} must be a list of strings", f'e.g. {key} = ["1.1.2"]')
            setattr(sc, key, tuple(value))
        rows = data.get("rows", [])
        if not isinstance(rows, list) or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in rows):
            raise ContextError(f"{path}: rows in {where} must be a list of row numbers (1 is the display's first row)", "e.g. rows = [1, 2]")
        sc.rows = tuple(rows)
    return sc


_EXAMPLES = {
    "domains": 'e.g. p = "(0, 1)" or n = "integer (1, oo)"',
    "ranges": 'e.g. k = "1..K"',
    "random": 'e.g. X = "Generic" or X = "Bernoulli(p)"',
    "where": 'e.g. "\\\\bar{X}" = "\\\\frac{1}{n}\\\\sum_{i=1}^{n} X_i"',
    "limits": 'e.g. epsilon = "0+"',
    "support": 'e.g. w = "1..r, 1..c"',
    "shapes": 'e.g. delta = "1..J" (a vector) or w = "1..J, 1..K" (a matrix)',
}


def _check_entry(key: str, name: str, value: str, path: str, where: str) -> None:
    bad = None
    if key == "domains" and not re.fullmatch(r"\s*(integer\s*|real\s*)?\(.+,.+\)\s*", value):
        bad = "a domain"
    elif key == "ranges" and not re.fullmatch(r"\s*[-\w]+\s*\.\.\s*[-\w+]+\s*", value):
        bad = "a range"
    elif key == "random" and not re.fullmatch(r"\s*(%s)\s*(\(.*\))?\s*" % "|".join(DISTRIBUTIONS), value):
        bad = "a distribution"
    elif key == "limits" and not re.fullmatch(r"\s*-?(0|oo)\s*[+-]?\s*", value):
        bad = "a limit"
    elif key == "shapes" and not (re.fullmatch(r"[^\W\d_]\w*", name) and re.fullmatch(r"\s*[-\w]+\s*\.\.\s*[-\w]+\s*(,\s*[-\w]+\s*\.\.\s*[-\w]+\s*)?", value)):
        bad = "a shape (a plain name and one range lo..hi for a vector, two for a matrix)"
    elif key == "support" and not (re.fullmatch(r"[^\W\d_]\w*", name) and re.fullmatch(r"\s*[-\w]+\s*\.\.\s*[-\w]+\s*(,\s*[-\w]+\s*\.\.\s*[-\w]+\s*)*", value)):
        bad = "a support (a plain name and one range lo..hi per index, separated by commas)"
    if bad:
        raise ContextError(f"{path}: [{key}] {name} = {value!r} in {where} is not {bad}", _EXAMPLES[key])
