"""A stated model of how long a 60-year-old beginner needs for each notebook.

Counted from ``source/`` (no kernel is run): the words a learner reads, the widget
questions, the code blanks, the charts and the other cells they run. Each count has a
rate, stated here with the reason for it; the total must stay within 50 minutes.

Reading rate. Rhiu et al., "Korean Version Self-testing Application for Reading Speed",
Korean J Ophthalmol 2017;31(3):209-214 (doi:10.3341/kjo.2016.0042), measured silent
reading of simple sentences (second-grade textbook sentences, 10 pt) at 121 words
(어절, space-separated units) per minute in the 20s, 94 in the 40s and 56.5 ± 42.7 in the
50s; reading fell with age (r = -0.48). Our learners are 50-69, read new words about
technology on a screen and must act on them, so we take 50 어절 per minute: below the
50s' mean, and a quarter of the all-ages mean (202 wpm).

The other rates are our own conservative estimates for a first-time computer user,
to be checked against the classroom (they are the figures to revise first):
a widget question takes 1.5 minutes to think and click beyond reading it (an order
question 2, a labeling question 1 plus 0.25 per item); a code blank 3 minutes (find the
blank, type one line, run it, read the check line, often retry once); a chart 1 minute
to look at; any other code cell 0.5 minutes to run and glance at its output.

    python benchmarks/learner_time.py        # writes benchmarks/results/learner_time.md
"""
from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from course.cells import WIDGET_FACTORIES, grading, is_check, is_question, question_calls  # noqa: E402

LIMIT_MINUTES = 50
WORDS_PER_MINUTE = 50
QUESTION_MINUTES = 1.5
ORDER_MINUTES = 2.0
LABELING_MINUTES, PER_LABEL_MINUTES = 1.0, 0.25
LABELING_ITEMS_UNKNOWN = 10  # a labeling task built at run time (09): its usual size
BLANK_MINUTES = 3.0
CHART_MINUTES = 1.0
CELL_MINUTES = 0.5
CHART = re.compile(r"\.show\(\)|^fig\s*$|plot_\w+\(|_figure\(", re.M)
CODE_SPAN = re.compile(r"`[^`]*`")
MARKUP = re.compile(r"<[^>]+>|\*\*|[#|>\-*]")


@dataclass
class Estimate:
    """One notebook's counts and the minutes they add up to."""

    assignment: str
    words: int
    questions: float  # minutes for the widget questions (beyond reading them)
    question_count: int
    blanks: int
    charts: int
    cells: int

    @property
    def minutes(self) -> float:
        return (self.words / WORDS_PER_MINUTE + self.questions + self.blanks * BLANK_MINUTES
                + self.charts * CHART_MINUTES + self.cells * CELL_MINUTES)


def words(text: str) -> int:
    """Words (어절) a learner reads in Markdown: a code span is one word, markup is none."""
    return len(MARKUP.sub(" ", CODE_SPAN.sub(" code ", text)).split())


def literal_strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def question_minutes(call: ast.Call) -> tuple[float, int]:
    """(minutes beyond reading, words to read) of one ``nb.<kind>(…)`` question."""
    text = literal_strings(call)[1:]  # the prompt, options, items and hints; not the id
    read = sum(words(t) for t in text)
    if call.func.attr == "order":
        return ORDER_MINUTES, read
    if call.func.attr in ("sort_into", "label"):
        items = call.args[2] if len(call.args) > 2 else None
        count = len(items.elts) if isinstance(items, (ast.List, ast.Tuple)) else (
            len(items.keys) if isinstance(items, ast.Dict) else LABELING_ITEMS_UNKNOWN)
        return LABELING_MINUTES + PER_LABEL_MINUTES * count, read
    return QUESTION_MINUTES, read


def estimate(path: Path) -> Estimate:
    nb = nbformat.read(str(path), as_version=4)
    name = path.parent.name if path.stem == path.parent.name else f"{path.parent.name}/{path.stem}"
    counts = Estimate(name, 0, 0.0, 0, 0, 0, 0)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            counts.words += words(cell.source)
        elif is_question(cell):
            for call in question_calls(cell.source, WIDGET_FACTORIES):
                minutes, read = question_minutes(call)
                counts.questions += minutes
                counts.question_count += 1
                counts.words += read
            counts.charts += len(CHART.findall(cell.source))
        elif grading(cell).get("solution"):
            counts.blanks += 1
            counts.charts += len(CHART.findall(cell.source))
        elif not is_check(cell):
            charts = len(CHART.findall(cell.source))
            counts.charts += charts
            counts.cells += 0 if charts else 1
    return counts


def estimates(root: Path = REPO) -> list[Estimate]:
    return [estimate(path) for path in sorted((root / "source").glob("*/*.ipynb"))]


def report(found: list[Estimate]) -> str:
    rows = "\n".join(
        f"| `{e.assignment}` | {e.words} | {e.words / WORDS_PER_MINUTE:.1f} | {e.question_count} | {e.questions:.1f} "
        f"| {e.blanks} | {e.charts} | {e.cells} | **{e.minutes:.0f}** | {'✔' if e.minutes <= LIMIT_MINUTES else '✘ over'} |"
        for e in found
    )
    return f"""# A learner's time per notebook (model)

Measured {date.today().isoformat()} from `source/` by `python benchmarks/learner_time.py`.
The model and the reasons for each rate are in the script's docstring; in short:

| what | rate |
|---|---|
| reading (Markdown, question prompts, options, hints) | {WORDS_PER_MINUTE} 어절 per minute (Rhiu et al. 2017: 56.5 wpm in the 50s) |
| widget question (beyond reading it) | {QUESTION_MINUTES} min; order {ORDER_MINUTES}; labeling {LABELING_MINUTES} + {PER_LABEL_MINUTES} per item |
| code blank | {BLANK_MINUTES} min |
| chart | {CHART_MINUTES} min |
| other code cell (run, glance) | {CELL_MINUTES} min |

Limit: {LIMIT_MINUTES} minutes per notebook.

| notebook | words | reading min | questions | question min | code blanks | charts | other cells | minutes | within limit |
|---|---|---|---|---|---|---|---|---|---|
{rows}
"""


def main() -> None:
    out = REPO / "benchmarks" / "results" / "learner_time.md"
    out.write_text(report(estimates()), encoding="utf-8")
    print(out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
