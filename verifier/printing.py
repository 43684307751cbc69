"""Printing a SymPy expression with each distinct subexpression printed once (a memo the caller keeps).

Standard library only: `verifier.results` uses it without importing SymPy (a warm run never does).
"""
from __future__ import annotations

import sys
from typing import Any


class MemoPrinting:
    """Mixin for a SymPy printer (put it before the printer class): `_print` of each subexpression
    is kept in `self._memo`, a dict shared by every printer the caller gives it to; no memo, no change.

    A node's text does not depend on where it stands in StrPrinter, but for a Float: its trailing
    zeros are kept at the top level only. So the level is part of the key."""

    _memo: dict | None = None

    def _print(self, expr: Any, **kwargs: Any) -> str:
        memo = self._memo
        if memo is None or kwargs or not isinstance(expr, sys.modules["sympy"].Basic):
            return super()._print(expr, **kwargs)  # type: ignore[misc]
        key = (expr, self._print_level == 0)  # type: ignore[attr-defined]
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = super()._print(expr)  # type: ignore[misc]
        return hit
