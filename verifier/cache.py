"""A content-addressed cache of claim results in the user's cache directory.

The key covers everything a verdict depends on: the claim's lines, domain, distributions,
corrections and where it is declared (for code lines, the whole file that declares it), the
engine's own source, the SymPy/NumPy/Python versions, the seed and the timeout. A file that is
corrupted, truncated or written for another key is ignored and rebuilt, never trusted.
Inconclusive and error results are not stored: they may depend on the machine's load.

The cache only saves time: a corrupted file or a directory that cannot be written is logged
(logger "verifier.cache", level WARNING) and the run goes on, recomputing.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import tempfile
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from .results import ClaimResult, Counterexample, Erratum, LinkResult

FORMAT = 1

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """$DERIVATION_VERIFIER_CACHE, else $XDG_CACHE_HOME/derivation-verifier, else ~/.cache/derivation-verifier."""
    explicit = os.environ.get("DERIVATION_VERIFIER_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "derivation-verifier"


# Parts of the package that do not shape a stored result: a renderer or the command line changes
# no verdict, so editing them keeps the cache (present.py, which makes stored strings, is hashed).
_NOT_VERDICTS = ("report/", "cli.py", "__main__.py", "pytest_plugin.py", "testing.py")


def source_fingerprint(root: Path, skip: tuple[str, ...] = ()) -> str:
    """A hash of every .py file under `root` (names and contents), except paths starting with `skip`."""
    h = hashlib.sha256()
    for path in sorted(Path(root).rglob("*.py")):
        if str(path.relative_to(root).as_posix()).startswith(skip):
            continue
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A hash of the engine's source and of the libraries that compute verdicts (read without importing them)."""
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "absent"

    h = hashlib.sha256(source_fingerprint(Path(__file__).parent, skip=_NOT_VERDICTS).encode())
    h.update(f"sympy {v('sympy')} numpy {v('numpy')} mpmath {v('mpmath')} python {sys.version}".encode())
    return h.hexdigest()


def run_key(words: list[str], seed: int, timeout: float, catalogue_dir: Path) -> str:
    """The content address of a whole CLI run over the catalogue: its words, seed, timeout, the
    catalogue's source and the engine. Claims are fully determined by that source."""
    parts = [engine_fingerprint(), source_fingerprint(catalogue_dir), repr(words), str(seed), repr(float(timeout))]
    return "run-" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _defined_in(fn: Any) -> str:
    return getattr(getattr(fn, "__code__", None), "co_filename", "") or ""


def _code_fingerprints(files: list[str]) -> list[str]:
    """A hash per source root of these files: the outermost package holding a file (every .py in
    it, so a helper module the code imports counts), or the file alone when it is in no package."""
    roots: set[Path] = set()
    for name in files:
        path = Path(name) if name else None
        if path is None or not path.is_file():
            continue
        top = path.parent if (path.parent / "__init__.py").is_file() else None
        while top is not None and (top.parent / "__init__.py").is_file():
            top = top.parent
        roots.add(top if top is not None else path)
    return [f"{root.name}:{source_fingerprint(root) if root.is_dir() else _file_hash(str(root))}" for root in sorted(roots)]


def _file_hash(path: str) -> str:
    # Read every time, never memoized: a file edited during a long-lived process (a notebook, a
    # test session) must change the key of the claims it declares.
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def expression_digest(expr: Any, memo: dict | None = None) -> str:
    """A content hash of a SymPy expression, the same in every process and run: each distinct
    subexpression hashed once, from its class and its arguments' hashes (SymPy rebuilds every
    expression as expr.func(*expr.args)), atoms by their srepr, a Dummy by its order of first
    appearance (its index differs from process to process). `srepr` of a whole line orders
    the terms of every sum again and writes a network's shared layers out as a tree: 4 s for the
    catalogue's keys, serial before any worker starts; this is linear in the distinct nodes."""
    import sympy as sp
    from sympy.core.function import AppliedUndef

    def sha(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    if not isinstance(expr, sp.Basic):
        return sha("value:" + (sp.srepr(expr) if isinstance(expr, sp.MatrixBase) else repr(expr)))
    memo = {} if memo is None else memo
    stack: list[tuple[Any, bool]] = [(expr, False)]
    while stack:  # post-order, iteratively: a deep line must not hit the recursion limit
        e, ready = stack.pop()
        if e in memo:
            continue
        if isinstance(e, sp.Dummy):
            # a Dummy's index is a counter or, from SymPy's fdiff, hash(point): it changes with the
            # process. Numbered by first appearance instead (the same claim, the same numbers).
            order = memo.setdefault(("dummies",), {})
            number = order.setdefault(e, len(order))
            memo[e] = sha(f"dummy:{e.name}:{number}:{sorted(e.assumptions0.items())}")
            continue
        if not e.args:
            memo[e] = sha("atom:" + sp.srepr(e))
            continue
        if not ready:
            stack.append((e, True))
            stack.extend((a, False) for a in e.args if isinstance(a, sp.Basic) and a not in memo)
            continue
        label = f"{type(e).__module__}.{type(e).__qualname__}"
        if isinstance(e, AppliedUndef):  # the function's name and assumptions are its class's
            label += f":{e.func.__name__}:{sorted((k, repr(v)) for k, v in getattr(e.func, '_kwargs', {}).items())}"
        memo[e] = sha("\x00".join([label, *(memo[a] if isinstance(a, sp.Basic) else "value:" + repr(a) for a in e.args)]))
    return memo[expr]


def claim_key(claim: Any, seed: int, timeout: float) -> str:
    """The content address of verifying `claim` with this seed and timeout."""
    import sympy as sp

    from .claim import ForAll, Numeric, Property

    seen: dict = {}  # the lines of a claim share subtrees: each is hashed once
    digest = lambda e: expression_digest(e, seen)  # noqa: E731

    parts: list[str] = [engine_fingerprint(), str(seed), repr(float(timeout)), claim.id, repr(claim.equation),
                        repr(claim.section), claim.title, claim.scope, repr(tuple(claim.uses)), repr((claim.rtol, claim.atol)),
                        claim.source]
    code: list[Any] = []
    for step in (*claim.steps, *claim.corrections.values()):
        if isinstance(step.expr, (Numeric, Property, ForAll)):
            code.append(step.expr.fn)
            parts.append(f"code {step.expr.label} {getattr(step.expr.fn, '__qualname__', '')}")
        else:
            parts.append(digest(step.expr))
        parts.append(f"{step.rel} {step.latex} {step.limit}" + (f" small {[str(f) for f in step.small]}" if step.small else ""))
    parts += [f"corr {k}" for k in claim.corrections]
    parts += [f"{sp.srepr(s)}:{iv}" for s, iv in sorted(claim.domain.items(), key=lambda kv: kv[0].name)]
    parts += [f"{sp.srepr(v)}~{type(d).__name__}:{d!r}:{getattr(d, 'params', '')}:{getattr(d, 'table', '')}" for v, d in claim.random.items()]
    parts += [f"{sp.srepr(k)}={digest(v)}" for k, v in claim.where.items()]
    if code or claim.inputs is not None:
        # Code lines are as good as all the code they may run: the package (or file) that declares
        # the claim and the one each line's function is defined in, every file of it.
        parts += _code_fingerprints([claim.source.rsplit(":", 1)[0], *(_defined_in(fn) for fn in (*code, claim.inputs))])
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


class ResultCache:
    """Results by key, one JSON file each, written atomically."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else cache_dir()
        self._unwritable = False  # warned once that the directory cannot be written

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> ClaimResult | None:
        """The stored result, or None when absent, corrupted or not written for this key."""
        payload = self.get_doc(key)
        try:
            return None if payload is None else _decode(payload)
        except Exception:  # anything unreadable is a miss, and will be overwritten
            self._ignored(key, "its content is not a stored result")
            return None

    def put(self, key: str, result: ClaimResult) -> None:
        """Store a result (skipped, with a warning, when the directory is not writable)."""
        if result.verdict in ("inconclusive", "error"):
            return
        self.put_doc(key, _encode(result))

    def get_doc(self, key: str) -> Any:
        """A stored JSON payload, or None when absent, corrupted or written for another key."""
        try:
            text = self._path(key).read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):  # not stored (or no directory to hold it)
            return None
        except (OSError, ValueError) as exc:  # ValueError: not UTF-8
            self._ignored(key, f"it cannot be read ({_why(exc)})")
            return None
        try:
            doc = json.loads(text)
            payload, fmt, stored, checksum = doc["payload"], doc.get("format"), doc.get("key"), doc.get("checksum")
        except Exception:
            self._ignored(key, "it is not a result cache file (truncated or corrupted)")
            return None
        if fmt != FORMAT:  # written by another version of the cache: a plain miss, rewritten
            return None
        if stored != key:
            self._ignored(key, "it was written for another key")
            return None
        if checksum != _checksum(payload):
            self._ignored(key, "its checksum does not match its content (corrupted or edited)")
            return None
        return payload

    def put_doc(self, key: str, payload: Any) -> None:
        """Store a JSON payload under `key`."""
        self._write(key, {"format": FORMAT, "key": key, "checksum": _checksum(payload), "payload": payload})

    def get_run(self, key: str) -> list[ClaimResult] | None:
        """The stored results of a whole run, or None."""
        payload = self.get_doc(key)
        try:
            return None if payload is None else [_decode(d) for d in payload]
        except Exception:
            self._ignored(key, "its content is not a stored run")
            return None

    def put_run(self, key: str, results: list[ClaimResult]) -> None:
        """Store a whole run's results (only when every one of them is settled)."""
        if any(r.verdict in ("inconclusive", "error") for r in results):
            return
        self.put_doc(key, [_encode(r) for r in results])

    def _write(self, key: str, doc: dict[str, Any]) -> None:
        path = self._path(key)
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError as exc:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            if not self._unwritable:  # once per cache: the next write would fail the same way
                self._unwritable = True
                log.warning("cannot write the result cache in %s (%s); results are not cached", self.directory, _why(exc))

    def _ignored(self, key: str, why: str) -> None:
        log.warning("ignored the result cache file %s: %s; recomputing", self._path(key), why)


def _why(exc: Exception) -> str:
    """An OS error's reason without its errno and file name ("Permission denied")."""
    return getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}"


def _checksum(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _encode(result: ClaimResult) -> dict[str, Any]:
    return asdict(result)


def _cx(d: dict[str, Any] | None) -> Counterexample | None:
    if d is None:
        return None
    return Counterexample(**{**d, "values": tuple(tuple(v) for v in d["values"])})


def _decode(d: dict[str, Any]) -> ClaimResult:
    steps = tuple(LinkResult(**{**s, "counterexample": _cx(s["counterexample"])}) for s in d["steps"])
    errata = tuple(Erratum(**{**e, "counterexample": _cx(e["counterexample"])}) for e in d["errata"])
    fields = {**d, "steps": steps, "errata": errata, "cached": True}
    for name in ("lines", "uses", "latex", "mathml", "relations", "pretty"):
        fields[name] = tuple(d[name])
    fields.setdefault("relations", ())
    fields.setdefault("pretty", ())
    return ClaimResult(**fields)
