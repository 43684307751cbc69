"""The catalogue registry: every claim by id, in the order the notes print them.

Topic modules are imported on first use of the catalogue, so importing one reference
implementation (`from derivations.batchnorm import backward`) does not load every topic.
A claim records where it is declared: the line of its topic module that declares it, even when
a helper (a loop body's function, a builder) makes the `claim` call.
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterator, Mapping
from types import FrameType
from typing import Any

from verifier import Claim
from verifier.errors import ClaimError

# Topic modules in the notes' order; importing one registers its claims.
TOPICS = ("probability", "naive_bayes", "perceptron", "gradient_descent", "backprop", "conv", "batchnorm", "todos")
# Seconds of each topic's build and claims in a worker of `verify all` (2026-12-04, at b46e4ec,
# the mean of the worker timelines of five runs): only the order in which parallel workers are
# handed whole topics, heaviest first, so that they finish together. A stale figure balances the
# workers worse; it never changes a result.
TOPIC_WEIGHTS = {"batchnorm": 1.66, "conv": 1.27, "backprop": 0.90, "perceptron": 0.62, "naive_bayes": 0.61,
                 "probability": 0.55, "gradient_descent": 0.16, "todos": 0.14}


def topics_naming(key: str) -> tuple[str, ...]:
    """The topic modules whose source has a string that is `key` or starts with `key:` (an id, an
    equation label, or the literal head of an f-string id), read as syntax, without importing."""
    import re
    from pathlib import Path

    here = Path(__file__).parent
    # A quote right before key and a quote or ":" right after it: a literal "1.5" or "1.5:…" as
    # written (an f-string's head too). Such a topic is named without parsing its source (parsing
    # probability.py is ~10 ms of a cold `verify 1.5`); a hit that is not a literal (in a comment)
    # only imports one topic more. Without a hit, the syntax tree decides, as before.
    quoted = re.compile(r"""(["'])%s(?:\1|:)""" % re.escape(key))
    # An id such as "linear-stack:3-4-2" is built by an f-string whose literal head is
    # "linear-stack:": that head names the topic too.
    head = key.split(":", 1)[0] + ":" if ":" in key else None
    headed = re.compile(r"""f(["'])%s""" % re.escape(head)) if head else None
    out = []
    for topic in TOPICS:
        path = here / f"{topic}.py"
        try:
            text = path.read_text(encoding="utf-8")
            if key not in text and (head is None or head not in text):
                continue  # no literal can hold key whose characters the source lacks: nothing to parse
            if quoted.search(text) or (headed is not None and headed.search(text)):
                out.append(topic)
                continue
            strings = _strings(str(path), path.stat().st_mtime_ns)
        except (OSError, SyntaxError, UnicodeDecodeError):
            return ()  # unreadable: let the full import report it
        if key in strings or any(s.startswith(key + ":") for s in strings):
            out.append(topic)
    return tuple(out)


@functools.lru_cache(maxsize=32)
def _strings(path: str, mtime_ns: int) -> frozenset[str]:
    """Every string constant of a source file (keyed by its modification time: an edit is re-read)."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    return frozenset(n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))


class Catalog(Mapping[str, Claim]):
    """A read-only mapping id → Claim over the whole catalogue, in notes order."""

    def __init__(self) -> None:
        self._claims: dict[str, tuple[tuple[int, int], Claim]] = {}
        self._modules: dict[str, str] = {}
        self._loaded = False
        self._imported: set[str] = set()  # topics imported so far (select may import only some)
        self._order: list[str] | None = None

    def _load(self, topics: tuple[str, ...] = TOPICS) -> None:
        if self._loaded:
            return
        for topic in topics:
            if topic in self._imported:
                continue
            self._imported.add(topic)
            name = f"{__package__}.{topic}"
            if importlib.util.find_spec(name) is None:
                continue
            try:
                importlib.import_module(name)
            except Exception as exc:  # one broken topic is one error result; the others still run
                self._add(_broken_module(topic, exc), name)
        self._loaded = self._imported.issuperset(TOPICS)

    def _ids(self) -> list[str]:
        self._load()
        if self._order is None:
            self._order = sorted(self._claims, key=lambda k: self._claims[k][0])
        return self._order

    def __getitem__(self, key: str) -> Claim:
        self._load()
        return self._claims[key][1]

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids())

    def __len__(self) -> int:
        return len(self._ids())

    def _add(self, claim: Claim, module: str) -> None:
        if claim.id in self._claims:
            raise ClaimError(f"claim id {claim.id!r} is declared twice", f"first at {self._claims[claim.id][1].source}")
        topic = module.rsplit(".", 1)[-1]
        rank = TOPICS.index(topic) if topic in TOPICS else len(TOPICS)
        self._claims[claim.id] = ((rank, len(self._claims)), claim)
        self._modules[claim.id] = module
        self._order = None

    def module(self, key: str) -> str:
        """The dotted name of the module that declares claim `key` (its topic module)."""
        self._load()
        return self._modules[key]

    def topic_claims(self, topic: str) -> list[Claim]:
        """The claims of one topic module, in its order, importing only that module (if not yet imported)."""
        self._load((topic,))
        name = f"{__package__}.{topic}"
        ranked = sorted((rc for cid, rc in self._claims.items() if self._modules[cid] == name), key=lambda rc: rc[0])
        return [c for _, c in ranked]

    def groups(self) -> list[Callable[[], list[Claim]]]:
        """One builder per topic, in the notes' order: the whole catalogue, each topic built where it is
        called (verifier.runner.run_groups builds each in the worker that verifies it)."""
        return [functools.partial(self.topic_claims, topic) for topic in TOPICS]

    @staticmethod
    def group_weights() -> list[float]:
        """The relative cost of each of `groups()`, for handing the heaviest out first."""
        return [TOPIC_WEIGHTS.get(topic, 1.0) for topic in TOPICS]

    def select(self, key: str) -> list[Claim]:
        """The claims an id names: the claim itself, or every claim of an equation label (`1.17`).

        Only the topic modules whose source names `key` are imported (`verify 1.5` builds one
        topic, not all 179 claims); a key no source names loads everything, so nothing is missed.
        """
        topics = () if self._loaded else topics_naming(key)
        self._load(topics or TOPICS)
        found = self._named(key)
        if not found and not self._loaded:
            self._load(TOPICS)  # the source scan named topics that do not build it after all: every topic
            found = self._named(key)
        return found

    def _named(self, key: str) -> list[Claim]:
        ranked = sorted(self._claims.values(), key=lambda rc: rc[0])
        found = [c for _, c in ranked if c.id == key]
        return found + [c for _, c in ranked if c.id != key and (c.equation == key or c.id.split(":")[0] == key)]


def _broken_module(topic: str, exc: Exception) -> Claim:
    """A stand-in claim whose verification reports why the topic module failed to import."""
    from verifier import Property

    message = f"module derivations.{topic} failed to import: {type(exc).__name__}: {exc}"

    def fail(rng: Any) -> Any:
        raise RuntimeError(message)

    return Claim(f"{topic}:import", [Property(fail, label=f"import derivations.{topic}")],
                 title=f"the claims of derivations/{topic}.py could not be built", source=f"derivations/{topic}.py")


catalog = Catalog()


def _declaring_frame(caller: FrameType) -> FrameType:
    """The frame whose line declares the claim: walking out from the caller through this package's
    helpers, the first top-level (`<module>`) frame; the caller itself if the walk leaves the
    package first (a user's claim declared inside a function)."""
    frame: FrameType | None = caller
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] == __package__:
        if frame.f_code.co_name == "<module>":
            return frame
        frame = frame.f_back
    return caller


def claim(id: str, steps: list[Any], **fields: Any) -> Claim:
    """Declare a catalogue claim (same arguments as verifier.Claim) and register it."""
    frame = _declaring_frame(sys._getframe(1))
    fields.setdefault("source", f"{frame.f_code.co_filename}:{frame.f_lineno}")
    c = Claim(id, steps, **fields)
    catalog._add(c, frame.f_globals.get("__name__", ""))
    return c
