"""The dependency graph of a run: which claim uses which, and which claims are undermined.

A claim is *undermined* when something it uses (directly or through other claims) is refuted,
inconclusive or in error, or is undermined itself: its own lines may hold, but what it stands
on does not. Claims named in `uses` that were not verified in this run are `unknown` nodes.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..results import ClaimResult, undermined


@dataclass(frozen=True)
class Node:
    """One claim in the graph: its id, verdict ("unknown" when not verified here) and title."""

    id: str
    verdict: str
    title: str = ""
    equation: str | None = None
    undermined: bool = False


@dataclass(frozen=True)
class Graph:
    """Nodes (claims that use or are used) and edges user → used, in a stable order."""

    nodes: tuple[Node, ...]
    edges: tuple[tuple[str, str], ...]

    def node(self, claim_id: str) -> Node:
        """The node of this claim id."""
        return next(n for n in self.nodes if n.id == claim_id)

    def uses(self, claim_id: str) -> tuple[str, ...]:
        """Ids this claim uses directly."""
        return tuple(b for a, b in self.edges if a == claim_id)

    def users(self, claim_id: str) -> tuple[str, ...]:
        """Ids of the claims that use this one directly."""
        return tuple(a for a, b in self.edges if b == claim_id)

    def layers(self) -> list[list[str]]:
        """Nodes by level: users above what they use (level = longest path to a node using nothing).

        Cycles (a malformed catalogue) are cut where they close, so every node gets a level.
        """
        level: dict[str, int] = {}
        on_path: set[str] = set()

        def depth(n: str) -> int:
            if n in level:
                return level[n]
            on_path.add(n)
            below = [depth(m) for m in self.uses(n) if m not in on_path]
            on_path.discard(n)
            level[n] = 1 + max(below, default=-1)
            return level[n]

        for n in self.nodes:
            depth(n.id)
        top = max(level.values(), default=-1)
        out: list[list[str]] = [[] for _ in range(top + 1)]
        for n in self.nodes:
            out[top - level[n.id]].append(n.id)
        return out


def build(results: Sequence[ClaimResult]) -> Graph:
    """The graph of these results: a node per claim that uses or is used, edges user → used."""
    by_id = {r.id: r for r in results}
    edges: list[tuple[str, str]] = []
    for r in results:
        for used in r.uses:
            if (r.id, used) not in edges:
                edges.append((r.id, used))
    ids: list[str] = []
    for a, b in edges:
        for n in (a, b):
            if n not in ids:
                ids.append(n)
    order = {r.id: i for i, r in enumerate(results)}
    ids.sort(key=lambda n: (order.get(n, len(order)), n))  # the run's order; unknown ids last

    verdict = {n: by_id[n].verdict if n in by_id else "unknown" for n in ids}
    weak = undermined(results)
    nodes = tuple(
        Node(n, verdict[n], by_id[n].title if n in by_id else "", by_id[n].equation if n in by_id else None, n in weak)
        for n in ids
    )
    return Graph(nodes, tuple(edges))
