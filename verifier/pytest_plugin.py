"""Claims as pytest items: `pytest --claims` collects every catalogue claim, `--claims=FILE` a user's own.

Registered through the `pytest11` entry point; cheap to import (the engine loads only when
claims are collected). A failing item prints the wrong line, as written and corrected, and the
counterexample. Known errata of the notes are reported as xfail unless `--claims-strict`.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

DEFAULT_SEED = 20190709


def pytest_addoption(parser: pytest.Parser) -> None:
    """--claims[=FILE|MODULE], --claims-strict, --claims-seed, --claims-timeout."""
    group = parser.getgroup("claims", "derivation-verifier claims")
    group.addoption("--claims", action="store", nargs="?", const="", default=None, metavar="FILE|MODULE",
                    help="collect the catalogue's claims as test items (or, with =FILE|MODULE, the Claims defined there)")
    group.addoption("--claims-strict", action="store_true", default=False,
                    help="known errata of the notes fail instead of xfail")
    group.addoption("--claims-seed", type=int, default=DEFAULT_SEED, help="seed for every claim")
    group.addoption("--claims-timeout", type=float, default=20.0, help="seconds allowed per line")


class ClaimFailure(Exception):
    """A claim did not hold; carries the result so the report can print the erratum."""

    def __init__(self, result: Any) -> None:
        super().__init__(result.id)
        self.result = result


class ClaimItem(pytest.Item):
    """One claim, verified when the item runs."""

    def __init__(self, *, claim: Any, notes: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.claim = claim
        self.notes = notes  # a claim of the notes' catalogue (known errata xfail by default)

    def runtest(self) -> None:
        """Verify the claim; pass when proved or checked."""
        from verifier import verify

        cfg = self.config
        result = verify(self.claim, seed=cfg.getoption("claims_seed"), timeout=cfg.getoption("claims_timeout"))
        self.user_properties.append(("verdict", result.verdict))
        if result.holds:
            return
        if self.notes and not cfg.getoption("claims_strict") and result.verdict in ("refuted", "inconclusive"):
            pytest.xfail(_reason(result))
        raise ClaimFailure(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The erratum (as written, corrected, counterexample), not a traceback."""
        if isinstance(excinfo.value, ClaimFailure):
            return failure_text(excinfo.value.result)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        """Where the claim is declared."""
        path, _, line = (self.claim.source or "").rpartition(":")
        if path and line.isdigit():
            return Path(path), int(line) - 1, f"claim {self.claim.id}"
        return self.path, None, f"claim {self.claim.id}"


def failure_text(result: Any) -> str:
    """The same text the CLI prints for this claim's errata and problems."""
    from verifier.report.table import render
    from verifier.results import Summary

    text = render("errata" if result.errata else "claims", [result], Summary.of([result], result.seconds, result.seed), color=False, width=100)
    head = f"claim {result.id} is {result.verdict}"
    if result.source:
        head += f" (declared at {result.source})"
    return head + "\n" + text


def _reason(result: Any) -> str:
    if result.errata:
        e = result.errata[0]
        more = f" (+{len(result.errata) - 1} more)" if len(result.errata) > 1 else ""
        fix = f"; should be {e.corrected}" if e.corrected else ""
        return f"known erratum of the notes: line {e.step} says {e.as_written}{fix}{more}"
    return f"known limitation: {result.verdict}"


def _load_user_claims(spec: str) -> list[Any]:
    from verifier import Claim

    if spec.endswith(".py") or Path(spec).is_file():
        path = Path(spec).resolve()
        if not path.is_file():
            raise pytest.UsageError(f"--claims={spec}: no such file")
        name = f"_user_claims_{path.stem}"
        module_spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
    else:
        try:
            module = importlib.import_module(spec)
        except ImportError as exc:
            raise pytest.UsageError(f"--claims={spec}: cannot import it ({exc}); give a .py file or a module path") from exc
    found = [v for v in vars(module).values() if isinstance(v, Claim)]
    extra = getattr(module, "claims", None)
    if extra is not None and not isinstance(extra, Claim):
        found += [c for c in extra if isinstance(c, Claim) and all(c is not f for f in found)]
    if not found:
        raise pytest.UsageError(f"--claims={spec}: no verifier.Claim found at module level")
    return found


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Append one item per claim when --claims is given."""
    spec = config.getoption("claims")
    if spec is None:
        return
    if spec == "":
        from derivations import catalog

        claims, notes = list(catalog.values()), True
    else:
        claims, notes = _load_user_claims(spec), False
    for c in claims:
        items.append(ClaimItem.from_parent(session, name=c.id, claim=c, notes=notes))
