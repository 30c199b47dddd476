"""course.synthetic: the seeded million-row table of 04_big_data_tasting_2."""
import pandas as pd
import pytest

from course.errors import CourseError
from course.synthetic import MAX_STEPS, TOWNS, daily_steps

# A pandas warning in a notebook cell reaches stderr and can zero a test cell: none allowed.
pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def year():
    return daily_steps()


def test_default_table_has_a_million_rows_of_the_documented_columns(year):
    assert year.shape == (2740 * 365, 6) and len(year) >= 1_000_000
    assert list(year.columns) == ["date", "month", "person", "age_group", "town", "steps"]
    assert year["date"].min() == pd.Timestamp("2021-01-01") and year["date"].max() == pd.Timestamp("2021-12-31")
    assert year["month"].equals(year["date"].dt.month.astype(year["month"].dtype))
    assert year["person"].nunique() == 2740 and year.groupby("date")["person"].count().eq(2740).all()
    assert list(year["town"].cat.categories) == list(TOWNS)
    assert year["steps"].between(0, MAX_STEPS).all()
    assert year.memory_usage(deep=True).sum() < 50e6


def test_a_person_keeps_one_town_and_one_age_group(year):
    per_person = year.groupby("person")[["town", "age_group"]].nunique()
    assert (per_person == 1).all().all()


def test_the_pattern_the_notebook_asks_about(year):
    # 04_big_data_tasting_2 asks for the month and the village with the most steps on average.
    by_month = year.groupby("month")["steps"].mean()
    by_town = year.groupby("town", observed=True)["steps"].mean()
    assert by_month.idxmax() == 10 and by_month.idxmin() == 7
    assert by_town.idxmax() == "오름마을" and by_town.idxmin() == "돌담마을"


def test_same_seed_same_table_other_seed_other_table():
    assert daily_steps(people=50, seed=3).equals(daily_steps(people=50, seed=3))
    assert not daily_steps(people=50, seed=3)["steps"].equals(daily_steps(people=50, seed=4)["steps"])


def test_a_leap_year_has_366_days():
    assert daily_steps(people=2, year=2024)["date"].nunique() == 366


@pytest.mark.parametrize("arguments", [{"people": 0}, {"people": 2.5}, {"people": True}, {"seed": -1}, {"year": "2021"}])
def test_a_bad_argument_is_named_in_korean_and_english(arguments):
    with pytest.raises(CourseError) as error:
        daily_steps(**arguments)
    name = next(iter(arguments))
    assert f"'{name}'" in error.value.korean and name in error.value.english
