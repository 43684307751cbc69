"""A content-addressed cache of claim results in the user's cache directory.

The key covers everything a verdict depends on: the claim's lines, domain, distributions,
corrections and where it is declared (for code lines, the whole file that declares it), the
engine's own source, the SymPy/NumPy/Python versions, the seed and the timeout. A file that is
corrupted, truncated or written for another key is ignored and rebuilt, never trusted.
Inconclusive and error results are not stored: they may depend on the machine's load.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from .results import ClaimResult, Counterexample, Erratum, LinkResult

FORMAT = 1


def cache_dir() -> Path:
    """$DERIVATION_VERIFIER_CACHE, else $XDG_CACHE_HOME/derivation-verifier, else ~/.cache/derivation-verifier."""
    explicit = os.environ.get("DERIVATION_VERIFIER_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "derivation-verifier"


def source_fingerprint(root: Path) -> str:
    """A hash of every .py file under `root` (names and contents)."""
    h = hashlib.sha256()
    for path in sorted(Path(root).rglob("*.py")):
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

    h = hashlib.sha256(source_fingerprint(Path(__file__).parent).encode())
    h.update(f"sympy {v('sympy')} numpy {v('numpy')} mpmath {v('mpmath')} python {sys.version}".encode())
    return h.hexdigest()


def run_key(words: list[str], seed: int, timeout: float, catalogue_dir: Path) -> str:
    """The content address of a whole CLI run over the catalogue: its words, seed, timeout, the
    catalogue's source and the engine. Claims are fully determined by that source."""
    parts = [engine_fingerprint(), source_fingerprint(catalogue_dir), repr(words), str(seed), repr(float(timeout))]
    return "run-" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()


@lru_cache(maxsize=64)
def _file_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def claim_key(claim: Any, seed: int, timeout: float) -> str:
    """The content address of verifying `claim` with this seed and timeout."""
    import sympy as sp

    from .claim import Numeric, Property

    parts: list[str] = [engine_fingerprint(), str(seed), repr(float(timeout)), claim.id, repr(claim.equation),
                        repr(claim.section), claim.title, claim.scope, repr(tuple(claim.uses)), repr((claim.rtol, claim.atol)),
                        claim.source]
    code = False
    for step in (*claim.steps, *claim.corrections.values()):
        if isinstance(step.expr, (Numeric, Property)):
            code = True
            parts.append(f"code {step.expr.label} {getattr(step.expr.fn, '__qualname__', '')}")
        else:
            parts.append(sp.srepr(step.expr))
        parts.append(f"{step.rel} {step.latex} {step.limit}")
    parts += [f"corr {k}" for k in claim.corrections]
    parts += [f"{sp.srepr(s)}:{iv}" for s, iv in sorted(claim.domain.items(), key=lambda kv: kv[0].name)]
    parts += [f"{sp.srepr(v)}~{type(d).__name__}:{d!r}:{getattr(d, 'params', '')}:{getattr(d, 'table', '')}" for v, d in claim.random.items()]
    parts += [f"{sp.srepr(k)}={sp.srepr(v)}" for k, v in claim.where.items()]
    if code or claim.inputs is not None:
        # Code lines are as good as the file that holds them (and everything it defines).
        parts.append(_file_hash(claim.source.rsplit(":", 1)[0]))
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


class ResultCache:
    """Results by key, one JSON file each, written atomically."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else cache_dir()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> ClaimResult | None:
        """The stored result, or None when absent, corrupted or not written for this key."""
        payload = self.get_doc(key)
        try:
            return None if payload is None else _decode(payload)
        except Exception:  # anything unreadable is a miss, and will be overwritten
            return None

    def put(self, key: str, result: ClaimResult) -> None:
        """Store a result (silently skipped when the directory is not writable)."""
        if result.verdict in ("inconclusive", "error"):
            return
        self.put_doc(key, _encode(result))

    def get_doc(self, key: str) -> Any:
        """A stored JSON payload, or None when absent, corrupted or written for another key."""
        try:
            doc = json.loads(self._path(key).read_text(encoding="utf-8"))
            payload = doc["payload"]
            if doc.get("format") != FORMAT or doc.get("key") != key or doc.get("checksum") != _checksum(payload):
                return None
            return payload
        except Exception:
            return None

    def put_doc(self, key: str, payload: Any) -> None:
        """Store a JSON payload under `key`."""
        self._write(key, {"format": FORMAT, "key": key, "checksum": _checksum(payload), "payload": payload})

    def get_run(self, key: str) -> list[ClaimResult] | None:
        """The stored results of a whole run, or None."""
        payload = self.get_doc(key)
        try:
            return None if payload is None else [_decode(d) for d in payload]
        except Exception:
            return None

    def put_run(self, key: str, results: list[ClaimResult]) -> None:
        """Store a whole run's results (only when every one of them is settled)."""
        if any(r.verdict in ("inconclusive", "error") for r in results):
            return
        self.put_doc(key, [_encode(r) for r in results])

    def _write(self, key: str, doc: dict[str, Any]) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            pass


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
