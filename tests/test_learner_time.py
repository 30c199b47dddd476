"""The stated model of a learner's time: every notebook within 50 minutes (benchmarks/learner_time.py)."""
import sys

import pytest

from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import learner_time  # noqa: E402

SOURCES = sorted((REPO / "source").glob("*/*.ipynb"))


def test_the_model_counts_what_a_learner_does():
    first = learner_time.estimate(REPO / "source" / "00_getting_started" / "00_getting_started.ipynb")
    assert first.words > 100 and first.question_count >= 5 and first.blanks == 1
    reading_only = learner_time.Estimate("x", words=500, questions=0, question_count=0, blanks=0, charts=0, cells=0)
    assert reading_only.minutes == 500 / learner_time.WORDS_PER_MINUTE
    assert learner_time.words("**목표: 표를 읽어요.** `df.head()` 를 실행해요.") == 6  # the code is one word


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_each_notebook_fits_in_fifty_minutes(path):
    found = learner_time.estimate(path)
    assert found.minutes <= learner_time.LIMIT_MINUTES, (
        f"{found.assignment}: {found.minutes:.0f} minutes modelled ({found.words} words, {found.question_count} questions, "
        f"{found.blanks} blanks, {found.charts} charts, {found.cells} other cells)"
    )
