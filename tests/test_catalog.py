"""The catalogue registry: order, selection by label, a broken topic module as one error result,
and where each claim says it is declared."""
import ast
import importlib
import inspect
import linecache
import re
from pathlib import Path

import pytest

import derivations._registry as registry
from verifier import verify


def test_a_topic_that_fails_to_import_is_one_error_result(monkeypatch):
    real = importlib.import_module

    def flaky(name, *args, **kwargs):
        if name == "derivations.perceptron":
            raise ValueError("boom")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(registry.importlib, "import_module", flaky)
    fresh = registry.Catalog()
    assert "perceptron:import" in fresh
    r = verify(fresh["perceptron:import"])
    assert r.verdict == "error"
    assert "derivations.perceptron failed to import: ValueError: boom" in r.message


def test_select_by_label_returns_every_claim_of_it(catalog):
    ids = [c.id for c in catalog.select("1.17")]
    assert ids == ["1.17:mean", "1.17:variance"]
    assert [c.id for c in catalog.select("1.17:mean")] == ["1.17:mean"]
    assert catalog.select("no-such-label") == []


def test_catalogue_is_read_only_and_in_notes_order(catalog):
    with pytest.raises(TypeError):
        catalog["x"] = None  # type: ignore[index]
    ids = list(catalog)
    assert ids.index("1.3") < ids.index("1.17:variance") < ids.index("2.1")


# ------------------------------------------------------------- where each claim says it is declared


def _calls_at_module_level(tree: ast.Module) -> list[ast.Call]:
    """Every call in the module's top-level code (loops and conditionals included), none inside a
    function, class or lambda: the code that runs when the topic module is imported."""
    out: list[ast.Call] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            return
        if isinstance(node, ast.Call):
            out.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def _names_the_claim(call: ast.Call, cid: str) -> bool:
    """The call's first argument is the id: the string itself, or an f-string that spells out the
    id's label (and the colon after it) and matches the rest with each {…} standing for some text:
    f"FC-BP:1:{tag(_sz)}" names FC-BP:1:2-3-2, f"{_eq}:{_line}:{tag(_sz)}" names nothing."""
    if not call.args:
        return False
    first = call.args[0]
    if isinstance(first, ast.Constant):
        return first.value == cid
    if isinstance(first, ast.JoinedStr):
        head = first.values[0]
        label = cid.split(":")[0] + (":" if ":" in cid else "")
        if not (isinstance(head, ast.Constant) and head.value.startswith(label)):
            return False
        pattern = "".join(re.escape(part.value) if isinstance(part, ast.Constant) else ".+" for part in first.values)
        return re.fullmatch(pattern, cid) is not None
    return False


def declaration_problem(cid: str, module: str, source: str) -> str | None:
    """Why `source` ("file:line") is not where claim `cid` of topic module `module` is declared, or None.

    It must be a line of the topic module's own file, in its top-level code, where a call starts
    whose first argument names the claim."""
    path, _, line = source.rpartition(":")
    topic = importlib.import_module(module)
    if module.rpartition(".")[2] not in registry.TOPICS:
        return f"{cid}: declared by {module}, which is not a topic module"
    if not path or Path(path).resolve() != Path(topic.__file__).resolve():
        return f"{cid}: source {source} is not in {module}'s file {topic.__file__}"
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    here = [c for c in _calls_at_module_level(tree) if c.lineno == int(line)]
    if not any(_names_the_claim(c, cid) for c in here):
        text = linecache.getline(path, int(line)).strip()
        return f"{cid}: line {line} of {Path(path).name} does not declare it at the top level: {text!r}"
    return None


def test_every_claim_points_at_the_line_of_its_topic_module_that_declares_it(catalog):
    problems = [p for cid in catalog if (p := declaration_problem(cid, catalog.module(cid), catalog[cid].source))]
    assert not problems, "\n".join(problems)


def test_the_declaration_check_rejects_a_helper_line_another_claim_and_another_file(catalog):
    from derivations import conv

    path = inspect.getsourcefile(conv)
    helper = next(k for k, text in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1)
                  if text.strip().startswith("claim(id, steps,"))  # the call inside conv._symbolic_claim
    assert "does not declare it" in declaration_problem("3.10:z", "derivations.conv", f"{path}:{helper}")
    other = catalog["3.10:a"].source
    assert "does not declare it" in declaration_problem("3.10:z", "derivations.conv", other)
    looped = {"FC-BP:1:2-3-2": 'f"{_eq}:{_line}:{tag(_sz)}"', "2.17:w": 'f"{_label}:w"'}  # the label not spelled out
    for cid, first in looped.items():
        call = ast.parse(f"claim({first}, [])", mode="eval").body
        assert not _names_the_claim(call, cid)
        assert _names_the_claim(ast.parse(f"claim({first.replace('{_eq}', 'FC-BP').replace('{_label}', '2.17')}, [])", mode="eval").body, cid)
    assert "is not in" in declaration_problem("3.10:z", "derivations.conv", catalog["3.11"].source.replace("conv.py", "backprop.py"))
    assert declaration_problem("3.10:z", "derivations.conv", catalog["3.10:z"].source) is None


def test_a_claim_declared_through_a_helper_records_the_calling_line():
    """`claim` called by a helper in a topic module's loop records the loop's line, not the helper's."""
    from derivations import perceptron

    path = inspect.getsourcefile(perceptron)
    c = registry.catalog["2.18:b"]
    line = int(c.source.rpartition(":")[2])
    assert c.source.rpartition(":")[0] == path
    assert linecache.getline(path, line).startswith('claim("2.18:b", **_update_b("2.18"')


def test_selecting_an_id_imports_only_the_topics_that_can_hold_it(catalog):
    # Complete: every claim an id, a label or an id's head selects is in a topic the index names
    # (or the index names none and everything is loaded).
    from derivations._registry import topics_naming

    missed = []
    for c in catalog.values():
        topic = catalog.module(c.id).rsplit(".", 1)[-1]
        for key in {c.id, c.equation, c.id.split(":")[0]} - {None}:
            named = topics_naming(key)
            if named and topic not in named:
                missed.append(f"{key!r} selects {c.id} in {topic}, but only {named} would be imported")
    assert not missed, "\n".join(missed)


def _select_in_a_fresh_process(key: str) -> tuple[list[str], list[str]]:
    """(the topics imported, the ids selected) when a new process selects `key` from the catalogue."""
    import json
    import subprocess
    import sys

    code = (f"import json, sys\nfrom derivations import catalog\nfound = catalog.select({key!r})\n"
            "from derivations._registry import TOPICS\n"
            "print(json.dumps([sorted(t for t in TOPICS if f'derivations.{t}' in sys.modules), [c.id for c in found]]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    topics, ids = json.loads(out)
    return topics, ids


def test_verify_one_chapter_1_id_builds_one_topic():
    topics, ids = _select_in_a_fresh_process("1.5")
    assert topics == ["probability"]
    assert sorted(ids) == sorted(c.id for c in __import__("derivations").catalog.select("1.5"))


def test_an_id_an_f_string_builds_names_its_topic_alone():
    # "linear-stack:3-4-2" is written f"linear-stack:{…}" in todos.py: selecting it imported every
    # topic (about a second of building claims) before this head was read as naming its topic.
    from derivations._registry import topics_naming

    assert topics_naming("linear-stack:3-4-2") == ("todos",)
    assert topics_naming("no-such-claim:1") == ()
    assert _select_in_a_fresh_process("linear-stack:3-4-2") == (["todos"], ["linear-stack:3-4-2"])


def test_a_topic_the_source_scan_names_wrongly_falls_back_to_every_topic():
    import subprocess
    import sys

    code = ("from derivations import _registry\n"
            "_registry.topics_naming = lambda key: ('todos',)  # a topic that lacks the id\n"
            "print([c.id for c in _registry.catalog.select('1.5:mean')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.strip() == "['1.5:mean']"
