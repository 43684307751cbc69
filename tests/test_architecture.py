"""The house rules that keep the parts apart (docs/architecture.md), checked on the source itself.

Each test reads the source as text or syntax trees; none imports what it checks, so a rule that
is broken fails here with the file and line that breaks it.
"""
import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "verifier"
NOTES = ROOT.parent / "shared" / "notes"


def _modules(package: Path) -> dict[str, Path]:
    """Dotted name (from the repository root) → file, for every module of the package."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.with_suffix("").relative_to(ROOT).parts
        out[".".join(parts).removesuffix(".__init__")] = path
    return out


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(name: str, path: Path) -> list[tuple[str, int]]:
    """(module imported, line) for every import in the file (at any depth), relative ones resolved;
    `from p import m` imports the module p.m when there is one, else p."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                out.append((sub if _is_module(sub) else module, node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
    return out


def _graph(package: Path) -> dict[str, set[str]]:
    mods = _modules(package)
    return {m: {i for i, _ in _imports(m, p) if i in mods and i != m} for m, p in mods.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path a → … → a, or None. A package's __init__ importing its own
    submodules is not a cycle by itself; a submodule importing its package back closes one."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


@pytest.mark.parametrize("package", ["verifier", "derivations"])
def test_no_import_cycle(package):
    cycle = _cycle(_graph(ROOT / package))
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_reports_import_only_results_the_standard_library_and_rich():
    allowed = {"verifier.results", "rich"}
    wrong = []
    for name, path in _modules(ENGINE / "report").items():
        for module, line in _imports(name, path):
            top = module.split(".")[0]
            if module.startswith("verifier.report") or module in allowed or top == "rich" or top in sys.stdlib_module_names:
                continue
            wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_engine_calls_no_renderer():
    # Only the presentation layer typesets; a printer change must not touch verdicts or their cache.
    printers = re.compile(r"\b(?:sp|sympy)\.(?:latex|mathml|pretty|pprint)\(|\bfrom sympy(?:\.printing)? import .*\b(?:latex|mathml|pretty)\b")
    wrong = []
    for name, path in _modules(ENGINE).items():
        if name.startswith("verifier.report") or name == "verifier.present":
            continue
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if printers.search(line):
                wrong.append(f"{path.relative_to(ROOT)}:{k}: {line.strip()}")
    assert not wrong, "\n".join(wrong)


def test_the_engine_knows_nothing_of_the_notes():
    """No string in verifier/ is an equation label of the notes or a claim id built on one
    ("3.23", "3.23:numpy"): the engine treats every claim alike. (Usage examples in help text
    name labels inside longer sentences; those are documentation, not logic.)"""
    if not NOTES.is_dir():
        pytest.skip("the notes are not beside the repository")
    labels = set()
    for notes in NOTES.glob("*.txt"):
        labels |= set(re.findall(r"\((\d+\.\d+)\)", notes.read_text(encoding="utf-8")))
    assert len(labels) > 20, "equation labels not found in the notes"
    wrong = []
    for name, path in _modules(ENGINE).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                m = re.fullmatch(r"(\d+\.\d+)(?::[\w.-]+)?", node.value.strip())
                if m and m.group(1) in labels:
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not wrong, "\n".join(wrong)
