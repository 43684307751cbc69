"""A time limit that really interrupts SymPy: SIGALRM in the main thread, a soft check elsewhere."""
from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator

from .errors import StepTimeout

_deadlines: list[float] = []  # the active limits of this process, innermost last
_RETRY = 0.05  # seconds: a due limit whose raise was swallowed or deferred is raised again this soon
# Code in which a raise would break the limit's own bookkeeping, or be swallowed (a weakref
# finalizer run by the garbage collector: Python prints it as "Exception ignored"): the alarm is
# re-armed instead, and the limit ends its body a moment later.
_QUIET = frozenset({__name__, "contextlib", "weakref"})


def _arm() -> None:
    """Point the interval timer at the nearest active deadline."""
    if not _deadlines:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    left = min(_deadlines) - time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, max(left, 1e-4))


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    # An alarm can be delivered a moment late, after its limit was lifted (a busy machine makes
    # this likely): only a deadline that is still active and due may interrupt the code.
    if _deadlines and time.monotonic() >= min(_deadlines) - 1e-3:
        # Re-armed before raising: a raise swallowed where Python ignores exceptions (a gc callback,
        # a __del__) or deferred here comes back shortly, so a due limit always ends its body.
        signal.setitimer(signal.ITIMER_REAL, _RETRY)
        if frame is not None and frame.f_globals.get("__name__") in _QUIET:
            return  # inside the limit's own enter/exit: removing a deadline must not be interrupted
        raise StepTimeout("time limit reached")
    _arm()


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise StepTimeout in the body once `seconds` have passed (nested limits take the nearest)."""
    if seconds is None or seconds <= 0:
        raise StepTimeout("no time left")
    if threading.current_thread() is not threading.main_thread():
        # Signals only reach the main thread; elsewhere the engine checks the clock between strategies.
        yield
        return
    deadline = time.monotonic() + seconds
    # The handler stays installed once set: it ignores alarms with no due deadline, so a late
    # alarm can neither interrupt unrelated code nor reach a default handler that kills the process.
    previous = signal.getsignal(signal.SIGALRM)
    if previous is not _on_alarm:
        signal.signal(signal.SIGALRM, _on_alarm)
    _deadlines.append(deadline)
    try:
        _arm()
        yield
    finally:
        _deadlines.remove(deadline)  # first: from here on an alarm for this limit is ignored
        _arm()
        if not _deadlines and callable(previous) and previous is not _on_alarm:
            signal.signal(signal.SIGALRM, previous)  # a handler of the caller's own gets its signal back
