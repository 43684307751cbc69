"""The defaults every entry point shares (engine, CLI, pytest plugin): one home each, no imports."""

DEFAULT_SEED = 20190709  # the notes' date; printed with every result
# Seconds per line. The catalogue's slowest line settles in under a tenth of it on a 2-core
# machine, so a verdict does not change when the machine is busy (benchmarks/bench_stability.py).
DEFAULT_TIMEOUT = 60.0
MAX_TIMEOUT = 3600  # seconds per line: beyond an hour a limit is a typo (or inf), not a budget
# GiB of address space a verifying process may take: a runaway SymPy computation (a dense
# polynomial growing by gigabytes a second) ends in MemoryError, an inconclusive line, well
# before the machine's OOM killer would end the whole run and every result in it.
DEFAULT_MEMORY_GIB = 8.0
