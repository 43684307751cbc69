"""`verify`: arguments in, engine call, report out. Results go to stdout, diagnostics to stderr.

Also `python -m verifier …`, and `python cli.py …` from a checkout; `main(argv)` runs it in-process.

    verify all                  every claim of the catalogue
    verify 1.17 3.23            the claims of these equations (or exact claim ids)
    verify list                 the catalogue, without verifying
    verify show 1.17            every line with its own verdict
    verify errata               only the wrong lines, with counterexamples
    verify check "(x+1)**2" "x**2+2*x+1" --where "x: (-oo, oo)"   your own identity (or chain)
    verify notes notes.md [--context notes.verify.toml] [--emit claims.py]   the notes' own LaTeX

Exit codes: 0 every claim holds, 1 errata found, 2 bad usage, 3 inconclusive or internal error.
"""
from __future__ import annotations

import argparse
import functools
import logging
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

from .defaults import DEFAULT_MEMORY_GIB, DEFAULT_SEED, DEFAULT_TIMEOUT, MAX_TIMEOUT  # no SymPy: --help stays fast
from .report import FORMATS, forms  # the renderers' own list; imports only results (no SymPy either)

# A run's exit code (0 all hold, 1 errata, 3 inconclusive) is Summary.exit_code, in verifier.results;
# an internal error counts there as a claim in error. Only bad usage is the command line's own.
EXIT_USAGE = 2
COMMANDS = ("all", "list", "show", "errata", "check", "notes")
# --jobs auto forks workers only for more claims than this: a few claims are faster in this process,
# since each worker pays its own first imports and SymPy's first calls again (measured: a cold
# `verify 1.5`, 3 claims, 0.91 s in one process vs 1.02 s with 2 workers; `verify 1.7`, 4 claims,
# 1.09 vs 1.30 s). An explicit --jobs N always uses N workers.
AUTO_SERIAL_CLAIMS = 4
RELATIONS = ("=", "<=", "<", ">=", ">")


def _jobs(text: str) -> int | str:
    """--jobs: a whole number, or "auto" (one worker per core)."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number or auto, got {text!r}") from None


class UsageError(Exception):
    """Bad usage: one message that names the problem and the fix; exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (no heavy imports: `verify --help` stays fast)."""
    p = argparse.ArgumentParser(
        prog="verify",
        description="Verify every line of the notes' derivations: proved, checked, refuted (with a counterexample) or inconclusive.",
        epilog="exit codes: 0 all hold · 1 errata found · 2 bad usage · 3 inconclusive or internal error",
    )
    p.add_argument("command", nargs="*", metavar="COMMAND|ID",
                   help="all | list | show ID… | errata [ID…] | check EXPR EXPR… | notes FILE | one or more equation labels or claim ids (e.g. 1.17 3.23 1.17:variance)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table; html is one self-contained page)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed for every random choice (default: {DEFAULT_SEED})")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help=f"seconds allowed per line (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--memory", type=float, default=DEFAULT_MEMORY_GIB, metavar="GIB",
                   help=f"memory ceiling per process in GiB: a line whose algebra outgrows it is inconclusive (default: {DEFAULT_MEMORY_GIB:g})")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour in tables (default: auto)")
    p.add_argument("--jobs", "-j", type=_jobs, default="auto", metavar="N",
                   help=f"verify claims in N worker processes, or auto: one per core, none for up to {AUTO_SERIAL_CLAIMS} claims (default: auto; results are identical to N = 1)")
    p.add_argument("--no-cache", action="store_true", help="recompute every result (ignore and do not read the result cache)")
    p.add_argument("--where", action="append", default=[], metavar='"NAME: (lo, hi)"',
                   help='check: the domain of a free symbol, e.g. "p: (0, 1)", "x: (-oo, oo)", "n: integer (1, 10)" (integers 1…10); repeat per symbol')
    p.add_argument("--context", metavar="PATH", help="notes: the context file (default: FILE's .verify.toml beside it, else the catalogue's derivations/contexts/)")
    p.add_argument("--emit", metavar="CLAIMS.py", help="notes: also write the parsed chains as a claims module (public Claim API)")
    p.add_argument("--rel", choices=RELATIONS, default="=", help="check: the relation between consecutive lines (default: =)")
    return p


def _select(words: Sequence[str]):
    from derivations import catalog

    from .errors import UnknownClaimError

    chosen, seen = [], set()
    for w in words:
        found = catalog.select(w)
        if not found:
            import difflib

            labels = sorted({c.equation for c in catalog.values() if c.equation} | set(catalog))
            close = difflib.get_close_matches(w, labels, n=5, cutoff=0.5)
            hint = f"closest: {', '.join(close)}" if close else "run `verify list` to see every id"
            raise UnknownClaimError(f"unknown equation or claim id {w!r}", hint)
        for c in found:
            if c.id not in seen:
                seen.add(c.id)
                chosen.append(c)
    return chosen


def _verify(claims, args, view: str) -> list:
    """Verify `claims` — a list, or `_WHOLE_CATALOGUE` (each topic then built in the worker that verifies it)."""
    from .runner import run_claims, run_groups

    cache = None
    if not args.no_cache:  # --no-cache never loads the cache module (hashlib, json, tempfile)
        from .cache import ResultCache

        cache = ResultCache()
    kw = dict(seed=args.seed, timeout=args.timeout, cache=cache, jobs=args.jobs, forms=forms(args.format, view),
              fewest_parallel=AUTO_SERIAL_CLAIMS + 1 if args.auto_jobs else 2)
    run = run_claims
    if claims is _WHOLE_CATALOGUE:
        catalogue = _catalog()
        if args.jobs > 1:
            # The workers build the topics they verify: building is a second or more of SymPy,
            # which the parent would otherwise pay alone before forking them.
            kw.pop("fewest_parallel")
            claims, run = catalogue.groups(), functools.partial(run_groups, weights=catalogue.group_weights())
        else:
            claims = list(catalogue.values())
    if sys.stderr.isatty() and len(claims) > 1:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("verifying", total=len(claims) if run is run_claims else None)
            return run(claims, progress=lambda c, r: bar.update(task, advance=1, description=f"verified {r.id}"), **kw)
    return run(claims, **kw)


_WHOLE_CATALOGUE = object()  # what `verify all` (and `verify errata` with no ids) verify


def _list(args) -> int:
    rows = None
    if not args.no_cache:
        # The listing is a function of the catalogue's source: read it back without importing SymPy.
        from .cache import ResultCache, run_key

        cache, key = ResultCache(), run_key(["list"], 0, 1.0, _catalogue_dir())
        rows = cache.get_doc(key)
    if rows is None:
        from derivations import catalog

        rows = [{"id": c.id, "equation": c.equation, "section": c.section, "title": c.title, "lines": len(c.steps)} for c in catalog.values()]
        if not args.no_cache:
            cache.put_doc(key, rows)
    if args.format == "json":
        import json

        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return _exit_code()
    for r in rows:
        section = ("§" + r["section"]) if r["section"] else ""
        print(f"{r['id']:28} {r['equation'] or '-':8} {section:9} {r['title']}")
    return _exit_code()


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if "check" in argv:  # "-x**2" is an expression, not an option: a leading space makes it positional
        short = {o for o in parser._option_string_actions if o[:2] != "--"}  # -h, -j: still options
        argv = [" " + a if a[:1] == "-" and a[1:2] not in ("-", "") and a[:2] not in short else a for a in argv]
    args = parser.parse_intermixed_args(argv)
    words = list(args.command)
    if not words:
        raise UsageError("nothing to do: give a command (all, list, show ID, errata) or equation ids, e.g. `verify all`")
    _one_blas_thread()
    args.auto_jobs = args.jobs == "auto"
    if args.auto_jobs:
        import os

        args.jobs = max(1, os.cpu_count() or 1)
    if args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1 (or auto), got {args.jobs}")
    if not 0 < args.timeout <= MAX_TIMEOUT:  # also refuses nan (every comparison with it is false)
        raise UsageError(f"--timeout must be a positive number of seconds up to {MAX_TIMEOUT}, got {args.timeout:g}; e.g. --timeout 20")
    if not 0.5 <= args.memory <= 1024:  # also refuses nan
        raise UsageError(f"--memory must be between 0.5 and 1024 GiB, got {args.memory:g}; e.g. --memory 8")
    if args.seed < 0:
        raise UsageError(f"--seed must be a whole number ≥ 0, got {args.seed}; e.g. --seed {DEFAULT_SEED}")
    head, rest = words[0], words[1:]
    if head != "notes" and (args.context or args.emit):
        raise UsageError("--context and --emit only apply to `verify notes FILE`")
    if head != "check" and (args.where or args.rel != "="):
        raise UsageError("--where and --rel only apply to `verify check`")
    if head == "notes":
        return _notes(rest, args)
    if head == "list":
        if rest:
            raise UsageError("`verify list` takes no ids")
        return _list(args)
    catalogue = head != "check"
    if head == "all":
        if rest:
            raise UsageError("`verify all` takes no ids; to verify some equations, name them: `verify 1.17 3.23`")
        view, load = "claims", lambda: _WHOLE_CATALOGUE
    elif head == "show":
        if not rest:
            raise UsageError("`verify show` needs an id, e.g. `verify show 1.17`")
        view, load = "show", lambda: _select(rest)
    elif head == "errata":
        view, load = "errata", lambda: _select(rest) if rest else _WHOLE_CATALOGUE
    elif head == "check":
        from .parse import check_claim

        claim = check_claim(rest, args.where, args.rel)
        view, load = "show", lambda: [claim]
    else:
        view, load = "claims", lambda: _select(words)

    from .report import render
    from .results import Summary

    start = time.perf_counter()
    results = None
    run_cache = key = None
    if catalogue and not args.no_cache:
        # A whole run over the catalogue is determined by the catalogue's source: a warm run
        # renders the stored results without importing SymPy or building a single claim.
        from .cache import ResultCache, run_key

        run_cache = ResultCache()
        # The forms are part of the key: a run stored by one report lacks what another prints.
        key = run_key([*words, "forms=" + ",".join(sorted(forms(args.format, view)))], args.seed, args.timeout, _catalogue_dir())
        results = run_cache.get_run(key)
    if results is None:
        from .memory import cap_memory

        cap_memory(args.memory)  # inherited by --jobs workers
        results = _verify(load(), args, view)
        if run_cache is not None:
            run_cache.put_run(key, results)
    summary = Summary.of(results, time.perf_counter() - start, args.seed)
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    width = 120
    if sys.stdout.isatty():
        import shutil

        width = shutil.get_terminal_size((120, 24)).columns
    sys.stdout.write(render(args.format, view, results, summary, color=color, width=width))
    return summary.exit_code


def _notes(rest: Sequence[str], args) -> int:
    """`verify notes FILE`: every display-math chain of the file, each step through the engine."""
    from pathlib import Path

    if len(rest) != 1:
        raise UsageError("`verify notes` takes one file, e.g. `verify notes notes.md` (give --context PATH for its context)")
    path = Path(rest[0])
    if not path.is_file():
        raise UsageError(f"notes file {rest[0]} not found; give the path of a .md, .tex or .txt file")
    from .cache import ResultCache
    from .memory import cap_memory
    from .notes.context import find_context, load_context
    from .notes.render import render
    from .notes.run import run_notes
    from .results import Summary

    project = _catalogue_dir() / "contexts"  # shipped with the catalogue (package data): found after pip install . too
    context = load_context(find_context(path, args.context, project))
    cap_memory(args.memory)
    start = time.perf_counter()
    run = run_notes(path, context, seed=args.seed, timeout=args.timeout, jobs=args.jobs,
                    cache=None if args.no_cache else ResultCache())
    if args.emit:
        from .notes.emit import emit

        emit(run.plan, Path(args.emit))
    summary = Summary.of(run.results, time.perf_counter() - start, args.seed)
    sys.stdout.write(render(args.format, run, summary))
    return run.exit_code


# The thread-count settings of the BLAS libraries numpy may be built with (OpenBLAS, MKL, Accelerate, OpenMP).
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def _one_blas_thread() -> None:
    """One BLAS thread per process, unless the user set a count: read when numpy is first imported,
    which is after this. The parallelism is the worker processes, one per core; a BLAS pool in
    each worker put two threads on each core, spinning for work (measured: `verify all` used 1 s
    more CPU, 0.6 s more wall). And a numeric line then sums in the same order with --jobs 1 or N."""
    import os

    for name in _BLAS_THREADS:
        os.environ.setdefault(name, "1")


def _catalogue_dir():
    import importlib.util
    from pathlib import Path

    return Path(importlib.util.find_spec("derivations").submodule_search_locations[0])


def _catalog():
    from derivations import catalog

    return catalog


def _exit_code(**verdict_counts: int) -> int:
    """The exit code of a run with these verdict counts (none: nothing failed), by verifier.results' policy."""
    from .results import Summary

    return Summary(**verdict_counts).exit_code


class _OncePerKind(logging.Filter):
    """Lets each kind of warning (its message template) through once: a cache directory that
    cannot be written would otherwise warn once per claim."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        kind = str(record.msg)
        if kind in self.seen:
            return False
        self.seen.add(kind)
        return True


@contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """The library's warnings (a corrupted cache file, an unwritable cache directory) as one line
    each on stderr, `verify: warning: …`, for the length of one run."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("verify: warning: %(message)s"))
    handler.addFilter(_OncePerKind())
    logger = logging.getLogger("verifier")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def entry() -> NoReturn:
    """The `verify` command (console script, `python -m verifier`, `python cli.py`): `main()`, then
    exit without freeing the heap, as mypy's `hard_exit` does: tearing down SymPy's caches, the
    modules and the claims took 0.1 s of every run (a cold `verify 1.5` is 0.5 s). What exiting
    would still do is done first: logging's handlers and both streams are flushed. Under a
    profiler or a tracer (coverage), the exit is the normal one, so that they can save their data."""
    import os

    code = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # under a profiler or coverage: let them write their data at exit
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that left (BrokenPipeError), a closed stream
            pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `verify` with these arguments (default: sys.argv[1:]); the exit code. Never a traceback
    for a user's mistake."""
    with _warnings_to_stderr():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    try:
        code = run(argv)
    except UsageError as exc:
        print(f"verify: {exc}", file=sys.stderr)
        code = EXIT_USAGE
    except BrokenPipeError:  # `verify list | head`: the reader left; nothing more to say
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        code = _exit_code()
    except SystemExit as exc:  # argparse's own usage errors already printed their message
        code = EXIT_USAGE if exc.code not in (0, None) else _exit_code()
    except Exception as exc:
        from .errors import VerifierError

        if isinstance(exc, VerifierError):
            print(f"verify: {exc}", file=sys.stderr)
            code = EXIT_USAGE
        else:  # a bug of ours: say so plainly; the traceback only on request
            import os

            print(f"verify: internal error: {type(exc).__name__}: {exc} (set VERIFY_DEBUG=1 for the traceback)", file=sys.stderr)
            if os.environ.get("VERIFY_DEBUG"):
                raise
            code = _exit_code(error=1)
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        code = 130
    return code

