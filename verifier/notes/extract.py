"""Display math out of a notes file: blocks, rows, labels and chains, each row with its file line.

Reads `$$…$$` and `\\[…\\]` displays and the `equation`, `align`, `aligned`, `split`, `gather`,
`cases`, `eqnarray` (and starred) environments of `.md`, `.tex` and plain-text notes; inline
`$…$` is ignored. A display's rows are split at `\\\\`; `&` alignment marks are dropped. A block
whose first row starts with a relation (`= …`) continues the chain of the block before it. A
block's label is its `\\tag{…}`, a trailing `(1.17)` inside it, or a `(1.17)` alone on the next
non-blank line; a label found after a run of blocks (with no prose between them) labels the run.
Sections are the latest heading line `1.2.3 Title` (or `\\section{…}`, `# …`) above the block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Relations that separate the lines of a chain, as (LaTeX, kind). Longer commands first.
RELATIONS: tuple[tuple[str, str], ...] = (
    (r"\leftarrow", "←"), (r"\gets", "←"), (r"\approx", "≈"), (r"\neq", "≠"), (r"\ne", "≠"),
    (r"\leq", "<="), (r"\le", "<="), (r"\geq", ">="), (r"\ge", ">="), (r"\equiv", "≡"),
    (r"\propto", "∝"), (r"\sim", "~"), (r"\to", "→"), (r"\Rightarrow", "⇒"), (r"\implies", "⇒"),
    ("=", "="), ("<", "<"), (">", ">"),
)
_ENVS = r"(?:equation|align|aligned|alignat|split|gather|gathered|cases|eqnarray|multline|array)\*?"
_BLOCK = re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\begin\{(equation|align|gather|eqnarray|multline)(\*?)\}(.+?)\\end\{\3\4\}", re.DOTALL)
_TAG = re.compile(r"\\tag\*?\{([^{}]*)\}")
_LABEL = r"\(\s*([A-Z][A-Z0-9-]*|\d+(?:\.\d+)+)\s*\)"
_LABEL_LINE = re.compile(r"\s*" + _LABEL + r"\s*\Z")
_TRAILING_LABEL = re.compile(r"\s+" + _LABEL + r"\s*\Z")
_HEADING = re.compile(r"(?:\d+(?:\.\d+)+\s+\S.*|Chapter\s+\d+)\Z|#+\s+\S.*\Z|\\(?:sub)*section\*?\{.*\}")
_ENV_MARK = re.compile(r"\\(?:begin|end)\{" + _ENVS + r"\}(?:\{[^{}]*\})?")


@dataclass(frozen=True)
class Row:
    """One display line: its LaTeX (alignment removed), the file line it starts on, its block."""

    latex: str
    line: int
    block: int
    continues: bool  # starts with a relation: continues the chain of the row before it
    in_cases: bool = False
    condition: str = ""  # a cases row's condition after `&` (`\\text{if } k = 1`): a piecewise definition


@dataclass
class Block:
    """One display: its rows, label, section and first file line."""

    index: int
    line: int
    rows: list[Row]
    label: str | None = None
    section: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Link:
    """Two adjacent members of a chain and the relation between them."""

    rel: str  # "=", "<=", "≈", "←", "≠", …
    rel_latex: str


@dataclass
class Chain:
    """A chain e0 rel e1 rel … ek: its members' LaTeX, rows, and the relations between them."""

    members: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # file line of each member
    rows: list[tuple[int, int]] = field(default_factory=list)  # (block, row) of each member: a display line
    rels: list[Link] = field(default_factory=list)  # rels[i] links members[i] and members[i+1]
    label: str | None = None
    section: str | None = None
    blocks: list[int] = field(default_factory=list)
    piecewise: bool = False  # one piece of a cases definition (`value & condition`): not an equation chain


def extract(text: str) -> list[Block]:
    """Every display block of `text`, in order, with rows, file lines, labels and sections."""
    starts = _line_starts(text)
    blocks: list[Block] = []
    section = None
    pos = 0
    pending: list[Block] = []  # blocks since the last label or prose, which a label line would name
    for m in _BLOCK.finditer(text):
        between = text[pos:m.start()]
        between_lines = between.splitlines()
        for k, ln in enumerate(between_lines):
            s = ln.strip()
            if not s:
                continue
            lab = _LABEL_LINE.match(s)
            if lab and pending:
                for b in pending:
                    if b.label is None:
                        b.label = lab.group(1)
                pending = []
                continue
            if _HEADING.match(s):
                section = _section_name(s)
            pending = []  # prose ends a run: a later label names only later blocks
        body = next(g for g in (m.group(1), m.group(2), m.group(5)) if g is not None)
        body_start = m.start(1) if m.group(1) is not None else m.start(2) if m.group(2) is not None else m.start(5)
        block = Block(len(blocks), _line_of(starts, m.start()), [], section=section, source=m.group(0))
        tag = _TAG.search(body)
        if tag:
            block.label = tag.group(1).strip()
            body = body[:tag.start()] + " " * (tag.end() - tag.start()) + body[tag.end():]
        trailing = _TRAILING_LABEL.search(body)
        if trailing and not block.label:
            block.label = trailing.group(1)
            body = body[:trailing.start()] + " " * (trailing.end() - trailing.start())
        block.rows = _rows(body, body_start, starts, block.index)
        blocks.append(block)
        pending = [] if block.label else pending + [block]
        pos = m.end()
    for ln in text[pos:].splitlines():  # a label line after the last block
        s = ln.strip()
        if not s:
            continue
        lab = _LABEL_LINE.match(s)
        if lab:
            for b in pending:
                if b.label is None:
                    b.label = lab.group(1)
        break
    return blocks


def _section_name(line: str) -> str:
    m = re.match(r"(\d+(?:\.\d+)+)\s", line)
    if m:
        return m.group(1)
    m = re.match(r"Chapter\s+(\d+)", line)
    if m:
        return m.group(1)
    m = re.match(r"\\(?:sub)*section\*?\{(.*)\}", line)
    return (m.group(1) if m else line.lstrip("# ")).strip()


def _line_starts(text: str) -> list[int]:
    out = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            out.append(i + 1)
    return out


def _line_of(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset)  # 1-based


def _rows(body: str, offset: int, starts: list[int], block: int) -> list[Row]:
    """Rows of a display: split at top-level \\\\ (not inside braces), environments stripped."""
    in_cases = bool(re.search(r"\\begin\{cases\}", body))
    # Blank out the environment markers (keeping offsets) so rows keep their file lines.
    body = _ENV_MARK.sub(lambda m: " " * len(m.group(0)), body)
    rows: list[Row] = []
    depth = 0
    start = 0
    i = 0
    pieces: list[tuple[int, int]] = []
    while i < len(body):
        ch = body[i]
        if ch == "\\" and body.startswith("\\\\", i):
            if depth == 0:
                pieces.append((start, i))
                i += 2
                # an optional spacing argument \\[2pt]
                sp_m = re.match(r"\s*\[[^\]]*\]", body[i:])
                if sp_m and re.match(r"\s*\[\s*\d", body[i:]):
                    i += sp_m.end()
                start = i
                continue
            i += 2
            continue
        if ch == "\\":
            i += 2 if i + 1 < len(body) and not body[i + 1].isalpha() else 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        i += 1
    pieces.append((start, len(body)))
    merged: list[tuple[int, int]] = []
    for a, b in pieces:  # a row ending in + or - (a sum broken over rows) continues on the next
        if merged and re.search(r"(?:[+-]|\\cdot|\\times)\s*$", body[merged[-1][0]:merged[-1][1]].replace("&", "")):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    pieces = [(a, b) for a, b in merged]
    for a, b in pieces:
        raw = body[a:b].replace("\\\\", " ")
        if not raw.strip():
            continue
        lead = len(raw) - len(raw.lstrip())
        line = _line_of(starts, offset + a + lead)
        condition = ""
        if in_cases and _has_ampersand(raw.strip()):
            head, _, cond = raw.strip().partition("&")
            if head.strip() and cond.strip():  # `value & condition`: one piece of a piecewise definition
                condition = _drop_alignment(cond.strip())
        for piece in _statements(_drop_alignment(raw.strip())):
            rows.append(Row(piece, line, block, _starts_with_relation(piece), in_cases, condition))
    return rows


def _has_ampersand(latex: str) -> bool:
    return bool(re.search(r"(?<!\\)&", latex))


def _statements(latex: str) -> list[str]:
    """A row split at top-level commas that separate two statements (`a = b, c = d`); else the row."""
    if not latex:
        return []
    parts: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(latex):
        ch = latex[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            parts.append(latex[start:i])
            start = i + 1
        i += 1
    parts.append(latex[start:])
    out: list[str] = []
    for part in parts:
        if out and len(split_relations(part)[1]) and len(split_relations(out[-1])[1]) and not _starts_with_relation(part):
            out.append(part.strip())
        elif out:
            out[-1] = out[-1] + "," + part
        else:
            out.append(part.strip())
    return [o.strip() for o in out if o.strip()]


def _drop_alignment(latex: str) -> str:
    out = []
    i = 0
    while i < len(latex):
        if latex[i] == "\\" and i + 1 < len(latex):
            out.append(latex[i:i + 2])
            i += 2
            continue
        out.append(" " if latex[i] == "&" else latex[i])
        i += 1
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _starts_with_relation(latex: str) -> bool:
    s = latex.lstrip()
    for tex, _ in RELATIONS:
        if s.startswith(tex) and (tex[0] != "\\" or not s[len(tex):len(tex) + 1].isalpha()):
            return True
    return False


def split_relations(latex: str) -> tuple[list[str], list[Link]]:
    """A row's members and the top-level relations between them (not inside (), [], {} or \\left…\\right).

    `a = b \\approx c` → (["a", "b", "c"], [=, ≈]); a row starting with a relation has "" first.
    """
    members: list[str] = []
    links: list[Link] = []
    depth = 0
    start = 0
    i = 0
    n = len(latex)
    while i < n:
        ch = latex[i]
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", latex[i:])
            word = m.group(0) if m else "\\"
            if word in (r"\left", r"\bigl", r"\Bigl", r"\biggl", r"\Biggl"):
                depth += 1
                i += len(word)
                if i < n and latex[i] == "\\":  # \left\{ or \left\|
                    i += 2 if i + 1 < n and not latex[i + 1].isalpha() else len(re.match(r"\\[A-Za-z]+", latex[i:]).group(0))
                else:
                    i += 1
                continue
            if word in (r"\right", r"\bigr", r"\Bigr", r"\biggr", r"\Biggr"):
                depth = max(0, depth - 1)
                i += len(word)
                if i < n and latex[i] == "\\":
                    i += 2 if i + 1 < n and not latex[i + 1].isalpha() else len(re.match(r"\\[A-Za-z]+", latex[i:]).group(0))
                else:
                    i += 1
                continue
            if depth == 0:
                hit = next(((t, k) for t, k in RELATIONS if t[0] == "\\" and word == t), None)
                if hit:
                    members.append(latex[start:i].strip())
                    links.append(Link(hit[1], hit[0]))
                    i += len(word)
                    start = i
                    continue
            i += len(word)
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "=<>":
            members.append(latex[start:i].strip())
            links.append(Link(ch, ch))
            start = i + 1
        i += 1
    members.append(latex[start:].strip())
    return members, links


def chains(blocks: list[Block]) -> list[Chain]:
    """The chains of the notes: rows split at their relations; a row (or block) starting with a
    relation continues the chain before it; each other row starts a new chain."""
    out: list[Chain] = []
    current: Chain | None = None
    for block in blocks:
        for r, row in enumerate(block.rows):
            members, links = split_relations(row.latex)
            members = [m.rstrip(" ,.;").strip() for m in members]
            if members and members[0] == "" and links and current is not None:
                # continues: its first relation links the chain's last member to this row's second
                for member, link in zip(members[1:], links):
                    current.members.append(member)
                    current.lines.append(row.line)
                    current.rows.append((block.index, r))
                    current.rels.append(link)
                if block.index not in current.blocks:
                    current.blocks.append(block.index)
                current.label = current.label or block.label
                continue
            current = Chain(label=block.label, section=block.section, blocks=[block.index], piecewise=bool(row.condition))
            for k, member in enumerate(members):
                if k > 0:
                    current.rels.append(links[k - 1])
                current.members.append(member)
                current.lines.append(row.line)
                current.rows.append((block.index, r))
            out.append(current)
    for c in out:  # a chain continued into a labelled block takes that label
        if c.label is None:
            labels = [blocks[b].label for b in c.blocks if blocks[b].label]
            c.label = labels[-1] if labels else None
    return out
