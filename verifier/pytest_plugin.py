"""Claims as pytest items: `pytest --claims` collects every catalogue claim, `--claims=FILE` a user's own.

Registered through the `pytest11` entry point; cheap to import (the engine loads only when
claims are collected). A failing item prints the wrong line, as written and corrected, and the
counterexample.

Known errata live in a baseline the user commits, like a snapshot (`claims-baseline.json` in the
rootdir, or `--claims-baseline=FILE`): claim id → the verdict and erratum lines expected. Only a
claim that matches its entry exactly is xfail; any other refuted, inconclusive (a timeout too) or
error item fails, and a baselined claim that now holds fails until the baseline is updated. The
baseline changes only with `--claims-update-baseline`; `--claims-strict` ignores it.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

from verifier.defaults import DEFAULT_SEED, DEFAULT_TIMEOUT, MAX_TIMEOUT  # absolute: the module is also loaded alone

BASELINE_NAME = "claims-baseline.json"


def pytest_addoption(parser: pytest.Parser) -> None:
    """--claims[=FILE|MODULE], --claims-baseline, --claims-update-baseline, --claims-strict, --claims-seed, --claims-timeout."""
    group = parser.getgroup("claims", "derivation-verifier claims")
    group.addoption("--claims", action="store", nargs="?", const="", default=None, metavar="FILE|MODULE",
                    help="collect the catalogue's claims as test items (or, with =FILE|MODULE, the Claims defined there)")
    group.addoption("--claims-baseline", action="store", default=None, metavar="FILE",
                    help=f"the known errata (claim id → verdict and lines) that xfail; default: {BASELINE_NAME} in the rootdir")
    group.addoption("--claims-update-baseline", action="store_true", default=False,
                    help="record every claim of this run that does not hold in the baseline (and drop those that now hold)")
    group.addoption("--claims-strict", action="store_true", default=False,
                    help="every claim that does not hold fails, baselined or not")
    group.addoption("--claims-seed", type=int, default=DEFAULT_SEED, help="seed for every claim")
    group.addoption("--claims-timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds allowed per line")


class ClaimFailure(Exception):
    """A claim did not hold (or not as the baseline says); carries the result so the report can print the erratum."""

    def __init__(self, result: Any, note: str = "") -> None:
        super().__init__(result.id)
        self.result = result
        self.note = note  # how the result compares with the baseline, and the fix


class BaselineOutdated(Exception):
    """A claim in the baseline now holds: the baseline must be updated (a strict xpass)."""


class _Baseline:
    """The baseline read at the start of the session, and what this run would change in it."""

    # A plain class, not a dataclass: the plugin must also load as a bare file (no sys.modules entry).
    def __init__(self, path: Path, entries: dict[str, dict[str, Any]], update: str) -> None:
        self.path = path
        self.entries = entries
        self.update = update  # the command that updates it
        self.updates: dict[str, dict[str, Any] | None] = {}  # claim id → new entry; None: the claim now holds
        self.written = ""  # what the update wrote, for the terminal summary


_BASELINE = pytest.StashKey[_Baseline]()


class ClaimItem(pytest.Item):
    """One claim, verified when the item runs."""

    def __init__(self, *, claim: Any, notes: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.claim = claim
        self.notes = notes  # a claim of the notes' catalogue (else the user's own); both answer to the baseline

    def runtest(self) -> None:
        """Verify the claim; pass when proved or checked, xfail when it matches its baseline entry, else fail."""
        from verifier import verify

        cfg = self.config
        result = verify(self.claim, seed=cfg.getoption("claims_seed"), timeout=cfg.getoption("claims_timeout"))
        self.user_properties.append(("verdict", result.verdict))
        state = baseline_entry(result)
        baseline = cfg.stash[_BASELINE]
        if cfg.getoption("claims_update_baseline"):
            baseline.updates[self.claim.id] = state
            if state is not None:
                pytest.xfail(f"recorded in the baseline: {_reason(result)}")
            return
        if cfg.getoption("claims_strict"):
            if state is not None:
                raise ClaimFailure(result)
            return
        expected = baseline.entries.get(self.claim.id)
        if state is None:
            if expected is not None:
                raise BaselineOutdated(
                    f"claim {result.id} now holds ({result.verdict}), but the baseline {baseline.path} records it as {_describe(expected)}: "
                    f"update the baseline with `{baseline.update}` and commit it"
                )
            return
        if state == expected:
            pytest.xfail(f"in the baseline: {_reason(result)}")
        if expected is None:
            note = (f"{result.id} is {_describe(state)}{_undecided(result)} and not in the baseline {baseline.path}: fix the claim, "
                    f"or record it as a known erratum with `{baseline.update}` and commit the baseline")
        else:
            note = (f"the baseline {baseline.path} expects {result.id} to be {_describe(expected)}, but it is {_describe(state)}: "
                    f"fix the claim, or update the baseline with `{baseline.update}`")
        raise ClaimFailure(result, note)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The erratum (as written, corrected, counterexample) and how it stands against the baseline; never a traceback."""
        if isinstance(excinfo.value, ClaimFailure):
            text = failure_text(excinfo.value.result)
            return text + ("\n" + excinfo.value.note if excinfo.value.note else "")
        if isinstance(excinfo.value, BaselineOutdated):
            return str(excinfo.value)
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
        return f"known erratum: line {e.step} says {e.as_written}{fix}{more}"
    return f"known limitation: {_describe(baseline_entry(result) or {'verdict': result.verdict})}"


def baseline_entry(result: Any) -> dict[str, Any] | None:
    """What the baseline records for this result: its verdict and erratum lines; None when the claim holds."""
    if result.holds:
        return None
    return {"verdict": result.verdict, "errata": sorted({e.step for e in result.errata})}


def _undecided(result: Any) -> str:
    """Why an inconclusive claim is undecided, when a clock decided it (a timeout is never a pass)."""
    if result.verdict == "inconclusive" and any(s.method == "timeout" or "timed out" in s.detail for s in result.steps):
        return " (timed out: not decided)"
    return ""


def _describe(entry: dict[str, Any]) -> str:
    """`refuted at lines 3, 7` / `inconclusive`."""
    lines = entry.get("errata") or []
    where = f" at line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}" if lines else ""
    return f"{entry.get('verdict')}{where}"


def baseline_path(config: pytest.Config) -> Path:
    """The baseline file: --claims-baseline (relative to where pytest was started), else claims-baseline.json in the rootdir."""
    given = config.getoption("claims_baseline")
    if given:
        return Path(config.invocation_params.dir, given).resolve()
    return Path(config.rootpath, BASELINE_NAME)


def update_command(config: pytest.Config) -> str:
    """The command line that updates this run's baseline (the one way it changes)."""
    spec, given = config.getoption("claims"), config.getoption("claims_baseline")
    return "pytest --claims" + (f"={spec}" if spec else "") + " --claims-update-baseline" + (f" --claims-baseline={given}" if given else "")


def read_baseline(path: Path, update: str = "pytest --claims --claims-update-baseline") -> dict[str, dict[str, Any]]:
    """The entries of a baseline file ({} when there is none); a malformed file is a usage error naming it."""
    if not path.is_file():
        return {}
    fix = f"repair it, or delete it and record a new one with `{update}`"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise pytest.UsageError(f"claims baseline {path} is not readable JSON ({exc}); {fix}") from None
    entries = doc.get("claims") if isinstance(doc, dict) else None
    if not isinstance(entries, dict):
        raise pytest.UsageError(f'claims baseline {path} has no "claims" object; {fix}')
    for cid, entry in entries.items():
        if not (isinstance(entry, dict) and entry.get("verdict") in ("refuted", "inconclusive", "error")
                and isinstance(entry.get("errata", []), list) and all(isinstance(k, int) for k in entry.get("errata", []))):
            raise pytest.UsageError(f'claims baseline {path}: the entry for {cid!r} is not {{"verdict": "refuted"|"inconclusive"|"error", "errata": [line, …]}}; {fix}')
    return {cid: {"verdict": e["verdict"], "errata": sorted(set(e.get("errata", [])))} for cid, e in entries.items()}


def write_baseline(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Write the baseline: sorted, one claim a line, so a change reads well in a diff."""
    about = "Claims known not to hold, with their verdict and erratum lines: `pytest --claims` xfails exactly these. Written by --claims-update-baseline."
    rows = [f"    {json.dumps(cid, ensure_ascii=False)}: {json.dumps(entries[cid])}" for cid in sorted(entries)]  # one claim a line
    text = "{\n" + f'  "about": {json.dumps(about)},\n' + '  "claims": {' + ("\n" + ",\n".join(rows) + "\n  " if rows else "") + "}\n}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


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


def pytest_configure(config: pytest.Config) -> None:
    """With --claims: check the seed and time limit, and read the baseline (a bad one is a usage error)."""
    if config.getoption("claims", None) is None:
        return
    timeout, seed = config.getoption("claims_timeout"), config.getoption("claims_seed")
    if not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
        raise pytest.UsageError(f"--claims-timeout must be a positive number of seconds up to {MAX_TIMEOUT}, got {timeout:g}; e.g. --claims-timeout 20")
    if seed < 0:
        raise pytest.UsageError(f"--claims-seed must be a whole number ≥ 0, got {seed}; e.g. --claims-seed {DEFAULT_SEED}")
    path, update = baseline_path(config), update_command(config)
    config.stash[_BASELINE] = _Baseline(path, read_baseline(path, update), update)


def pytest_report_header(config: pytest.Config) -> str | None:
    """Which baseline this run compares against."""
    baseline = config.stash.get(_BASELINE, None)
    if baseline is None:
        return None
    if config.getoption("claims_update_baseline"):
        return f"claims baseline: {baseline.path} (updating it)"
    if not baseline.entries:
        return f"claims baseline: {baseline.path} (none yet: every claim that does not hold fails; record known errata with `{baseline.update}`)"
    return f"claims baseline: {baseline.path} ({len(baseline.entries)} known)"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With --claims-update-baseline: merge this run into the baseline (claims not run keep their entries)."""
    config = session.config
    baseline = config.stash.get(_BASELINE, None)
    if baseline is None or not config.getoption("claims_update_baseline") or hasattr(config, "workerinput"):
        return
    entries = dict(baseline.entries)
    for cid, entry in baseline.updates.items():
        if entry is None:
            entries.pop(cid, None)
        else:
            entries[cid] = entry
    write_baseline(baseline.path, entries)
    baseline.written = f"claims baseline written: {baseline.path} ({len(entries)} known); review and commit it"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Say where the updated baseline went."""
    baseline = config.stash.get(_BASELINE, None)
    if baseline is not None and baseline.written:
        terminalreporter.write_line(baseline.written)


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
