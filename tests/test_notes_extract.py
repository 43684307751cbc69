"""Display math out of notes files: blocks, rows, alignment, labels, file lines, chains across blocks."""
from collections import Counter
from pathlib import Path

import pytest

from verifier.notes.extract import chains, extract, split_relations

NOTES = Path(__file__).resolve().parent.parent.parent / "shared" / "notes" / "000_31b374e35afdf9f9.txt"

MD = r"""# Notes

Inline math $a = b$ is ignored.

$$
(x+1)^2 = x^2 + 2x + 1 \tag{1.1}
$$

$$= x^2 + 2x + 2$$
(1.2)

\[ \frac{a}{b} \approx c \]

\begin{align}
u &= v + w \\
  &= w + v \\
y &\le z
\end{align}

$$\begin{cases} p & \text{if } k = 1, \\ 0 & \text{otherwise} \end{cases}$$
"""


def test_blocks_rows_lines_and_labels_of_a_markdown_file():
    blocks = extract(MD)
    assert len(blocks) == 5
    assert blocks[0].label == "1.1" and blocks[0].rows[0].line == 6
    assert blocks[1].rows[0].continues and blocks[1].label == "1.2"
    assert [r.latex for r in blocks[3].rows] == ["u = v + w", "= w + v", "y \\le z"]
    assert [r.line for r in blocks[3].rows] == [15, 16, 17]
    assert all(r.condition for r in blocks[4].rows)  # a cases block of value & condition: piecewise


def test_chains_continue_across_blocks_and_rows():
    found = chains(extract(MD))
    first = found[0]
    assert first.members == ["(x+1)^2", "x^2 + 2x + 1", "x^2 + 2x + 2"]
    assert first.lines == [6, 6, 9]
    assert [l.rel for l in first.rels] == ["=", "="]
    assert first.label == "1.1"
    aligned = [c for c in found if c.members[0] == "u"][0]
    assert aligned.members == ["u", "v + w", "w + v"]
    assert [l.rel for l in found[1].rels] == ["≈"]
    assert [l.rel for l in found[3].rels] == ["<="]
    assert found[-1].piecewise


def test_relations_inside_brackets_do_not_split_a_line():
    members, links = split_relations(r"P(X=1) \cdot 1 + \sum_{i=1}^{n} x_i = \left( a = b \right) \leftarrow c")
    assert members == [r"P(X=1) \cdot 1 + \sum_{i=1}^{n} x_i", r"\left( a = b \right)", "c"]
    assert [l.rel for l in links] == ["=", "←"]


def test_two_statements_on_one_row_are_two_chains():
    found = chains(extract(r"$$P_{tr}(y|x) = P_{te}(y|x), P_{tr}(x) \neq p_{te}(y),$$"))
    assert [c.members for c in found] == [["P_{tr}(y|x)", "P_{te}(y|x)"], ["P_{tr}(x)", "p_{te}(y)"]]


def test_a_tex_equation_environment_and_a_sum_broken_over_rows():
    tex = "\\begin{equation}\\begin{split} d = & a + b + \\\\ & c \\end{split}\\end{equation}"
    (chain,) = chains(extract(tex))
    assert chain.members == ["d", "a + b + c"]


def test_the_seed_notes_shape():
    if not NOTES.is_file():
        pytest.skip("the notes are not beside the repository")
    blocks = extract(NOTES.read_text(encoding="utf-8"))
    assert len(blocks) == 120
    assert sum(1 for b in blocks if b.rows and b.rows[0].continues) == 31
    found = [c for c in chains(blocks) if not c.piecewise]
    rels = Counter(l.rel for c in found for l in c.rels)
    # the feasibility probe's 195 steps: 185 =, 5 ←, 3 ≈, 2 ≠
    assert sum(rels.values()) == 195
    assert rels == Counter({"=": 185, "←": 5, "≈": 3, "≠": 2})
    labels = {c.label for c in found}
    assert {"1.3", "1.5", "BP2", "3.23", "CONV-BP2"} <= labels
