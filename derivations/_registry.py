"""The catalogue registry: every claim by id, in the order the notes print them."""
from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from typing import Any

from verifier import Claim
from verifier.errors import ClaimError


class Catalog(Mapping[str, Claim]):
    """A read-only mapping id → Claim over the whole catalogue, in notes order."""

    def __init__(self) -> None:
        self._claims: dict[str, Claim] = {}

    def __getitem__(self, key: str) -> Claim:
        return self._claims[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._claims)

    def __len__(self) -> int:
        return len(self._claims)

    def _add(self, claim: Claim) -> None:
        if claim.id in self._claims:
            raise ClaimError(f"claim id {claim.id!r} is declared twice", f"first at {self._claims[claim.id].source}")
        self._claims[claim.id] = claim

    def select(self, key: str) -> list[Claim]:
        """The claims an id names: the claim itself, or every claim of an equation label (`1.17`)."""
        if key in self._claims:
            return [self._claims[key]]
        return [c for c in self._claims.values() if c.equation == key or c.id.split(":")[0] == key]


catalog = Catalog()


def claim(id: str, steps: list[Any], **fields: Any) -> Claim:
    """Declare a catalogue claim (same arguments as verifier.Claim) and register it."""
    frame = sys._getframe(1)
    fields.setdefault("source", f"{frame.f_code.co_filename}:{frame.f_lineno}")
    c = Claim(id, steps, **fields)
    catalog._add(c)
    return c
