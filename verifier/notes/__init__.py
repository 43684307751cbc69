"""`verify notes FILE`: the notes' own LaTeX, every display-math chain checked line by line.

    extract.py   display math → blocks, rows, labels, chains (with file lines)
    latex.py     LaTeX → SymPy through a whitelist parser, with a guard against garbled parses
    context.py   the TOML sidecar: symbols, domains, random variables, ranges, conventions
    entries.py   vector and matrix lines read entry by entry (W a → Σ_s W_js a_s), when the context gives shapes
    chains.py    parsed chains → `Claim`s for the engine (one per run of checkable links)
    run.py       verify the claims (the runner, the cache) and give each step its verdict
    emit.py      the parsed chains as a claims module in the public `Claim` API
"""
