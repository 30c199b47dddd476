"""Every "(출처 N)" in a notebook points at a row N of the SOURCES.md beside it."""
import re

import nbformat
import pytest

from helpers import REPO

CITED = sorted(path for path in (REPO / "source").glob("*/*.ipynb") if re.search(r"\(출처 \d", path.read_text(encoding="utf-8")))


def cited_numbers(text: str) -> set[int]:
    """The source numbers in "(출처 3)", "(출처 11, 5)", "(출처 2, 2020년 10월 기사)"."""
    found = set()
    for inside in re.findall(r"\(출처 ([^)]*)\)", text):
        for part in inside.split(","):
            if part.strip().isdigit():
                found.add(int(part.strip()))
    return found


def test_the_citation_parser_reads_numbers_and_skips_dates():
    assert cited_numbers("(출처 11, 5) … (출처 2, 2020년 10월 기사) (출처 3)") == {2, 3, 5, 11}


def test_some_notebooks_cite_sources():
    assert {path.parent.name for path in CITED} >= {"06_healthcare_ai_cases", "10_crowd_work_job"}


@pytest.mark.parametrize("path", CITED, ids=lambda p: p.parent.name)
def test_every_cited_source_is_listed_beside_the_notebook(path):
    nb = nbformat.read(str(path), as_version=4)
    cited = cited_numbers("\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown"))
    sources = path.parent / "SOURCES.md"
    assert sources.exists(), f"{path.parent.name} cites sources but has no SOURCES.md"
    listed = {int(n) for n in re.findall(r"^\| (\d+) \|", sources.read_text(encoding="utf-8"), flags=re.M)}
    assert cited and cited <= listed, f"cited but not listed: {sorted(cited - listed)}"
    assert listed <= cited, f"listed but never cited: {sorted(listed - cited)}"
