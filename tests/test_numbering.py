"""One numbering: "문제 N" agrees in the notebook, in the check line under each answer and on the feedback page.

Also: the code that draws a question or checks an answer is folded in source and release,
and no internal id (q3, p1 …) is shown where a learner reads.
"""
import html
import re
from pathlib import Path

import nbformat
import nbgrader
import pytest
from nbconvert import HTMLExporter

from course.cells import grading, is_check, is_question, question_prompt
from course.notebook import Notebook, ___
from course.numbering import item_number, item_title
from course.paths import FEEDBACK_FILTERS, TEMPLATES
from helpers import REPO

# Each assignment's graded notebook is named after it; other notebooks beside it are ungraded extras.
SOURCES = sorted(p for p in (REPO / "source").glob("*/*.ipynb") if p.stem == p.parent.name)
RELEASES = sorted(p for p in (REPO / "release").glob("*/*.ipynb") if p.stem == p.parent.name)
BOOTSTRAP = Path(nbgrader.__file__).parent / "server_extensions/formgrader/static/node_modules/bootstrap/dist/css"
INTERNAL_ID = re.compile(r"(?<![\w.])[qp]\d+[a-z]?(?:_test)?(?!\w)")


def graded(nb):
    """(qid, points) of each graded item, in the notebook's order."""
    return [(grading(c)["grade_id"].removesuffix("_test"), grading(c)["points"]) for c in nb.cells if is_check(c)]


def cell_of(nb, grade_id):
    return next(c for c in nb.cells if grading(c).get("grade_id") == grade_id)


def test_item_number_and_title():
    assert item_number("q3") == 3 and item_number("q12_test") == 12
    assert item_number("p1") is None and item_number("setup") is None
    assert item_title("q3_test") == "문제 3" and item_title("title") == "채점 항목"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_items_are_numbered_in_order_and_each_says_its_number(path):
    nb = nbformat.read(str(path), as_version=4)
    items = graded(nb)
    assert [qid for qid, _ in items] == [f"q{n}" for n in range(1, len(items) + 1)], "graded ids are q1, q2 … in order"
    for index, cell in enumerate(nb.cells):
        meta = grading(cell)
        number = item_number(meta.get("grade_id", ""))
        points = dict(items).get(meta.get("grade_id"))
        if is_question(cell) and number is not None:  # a graded widget question says "문제 N (P점)" first
            assert question_prompt(cell.source).startswith(f"문제 {number} ({points:g}점)"), meta["grade_id"]
        elif is_question(cell):  # practice questions carry no number
            assert not re.search(r"문제 \d", question_prompt(cell.source)), meta["grade_id"]
        elif meta.get("solution"):  # a code blank: the text just above it names its number
            above = next(c for c in reversed(nb.cells[:index]) if c.cell_type == "markdown")
            assert f"문제 {number} ({points:g}점)" in above.source, meta["grade_id"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_check_lines_say_the_same_number(path, tmp_path, capsys):
    nb = nbformat.read(str(path), as_version=4)
    session = Notebook(path.stem, points=1, items=1, folder=tmp_path)
    for qid, _ in graded(nb):
        if grading(cell_of(nb, qid)).get("solution"):
            session.check_filled(qid, ___)  # a blank not filled in yet
            session.check_filled(qid, 1.5)
        else:
            session.check(qid)
        shown = capsys.readouterr().out
        assert shown.count(f"문제 {item_number(qid)}:") >= 1, shown
        assert not INTERNAL_ID.search(shown), shown


def visible_text(page: str) -> str:
    """What a reader of an HTML page sees: no tags, styles, scripts or attribute values."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_feedback_page_uses_the_same_numbers_and_no_internal_id(path):
    nb = nbformat.read(str(path), as_version=4)
    items = graded(nb)
    for cell in nb.cells:
        if grading(cell).get("grade") or grading(cell).get("solution"):
            cell.metadata.nbgrader["score"] = grading(cell).get("points", 0)
            cell.metadata.nbgrader.setdefault("points", 0)
    exporter = HTMLExporter(
        template_name="feedback", extra_template_basedirs=[str(TEMPLATES)], filters=FEEDBACK_FILTERS,
        extra_template_paths=[str(BOOTSTRAP)],  # as nbgrader's generate_feedback sets it
    )
    total = sum(points for _, points in items)
    resources = {"nbgrader": {"notebook": path.stem, "score": total, "max_score": total, "late_penalty": 0}}
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    text = visible_text(page)
    rows = re.findall(r'<td><a href="#q\d+_test">(문제 \d+)</a></td>', page)
    assert rows == [f"문제 {n}" for n in range(1, len(items) + 1)]
    for qid, points in items:
        assert f"{item_title(qid)} 채점" in text
    assert not INTERNAL_ID.search(text), INTERNAL_ID.search(text)
    assert not re.search(r"nb\.(check|grade|choice|multi|number|text|order|sort_into|label|finish)", text)  # no question code

    first_question = next(question_prompt(c.source) for c in nb.cells if is_question(c) and question_prompt(c.source))
    assert first_question in text
    assert "습니다" not in text


@pytest.mark.parametrize("path", SOURCES + RELEASES, ids=lambda p: f"{p.parts[-3]}-{p.parent.name}")
def test_question_and_check_code_is_folded(path):
    nb = nbformat.read(str(path), as_version=4)
    drawn = [c for c in nb.cells if is_question(c) or is_check(c)]
    for qid, _ in graded(nb):  # each item's check, and each widget item's question, is among them
        assert is_question(cell_of(nb, qid)) or grading(cell_of(nb, qid)).get("solution")
    assert sum(is_check(c) for c in drawn) == len(graded(nb))
    for cell in drawn:
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, grading(cell).get("grade_id")
    assert cell_of(nb, "finish").source == "nb.finish()", "every notebook ends with the 채점받기 button"


@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.parent.name)
def test_no_internal_id_where_a_learner_reads(path):
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if not cell.metadata.get("jupyter", {}).get("source_hidden"):
            assert not INTERNAL_ID.search(cell.source), (grading(cell).get("grade_id"), INTERNAL_ID.search(cell.source))
