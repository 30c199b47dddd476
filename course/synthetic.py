"""Synthetic tables for the big-data lessons: a million rows, made in memory in a blink.

:func:`daily_steps` makes one year of daily step counts of made-up people aged 50–69
living in five made-up Jeju-like villages. Nothing in it was measured: every number
comes from the small model below and one seeded ``numpy`` Generator, so a notebook
that shows it must label it "합성 데이터(synthetic, 실제가 아닌 만든 데이터)".

The model, for person ``p`` on day ``d``::

    steps = base[p] × TOWN_FACTORS[town[p]] × MONTH_FACTORS[month[d]]
            × (WEEKEND_FACTOR on Saturdays and Sundays) × noise[p, d]

* ``base[p]``: the person's usual day, lognormal with median ``BASE_STEPS[age_group]``
  (7,000 steps in their 50s, 6,000 in their 60s) and a spread of about 25 %;
* ``town[p]``: one of ``TOWNS``, drawn with ``TOWN_SHARES``; ``age_group[p]``: "50대" or
  "60대", drawn with ``AGE_SHARES``;
* ``MONTH_FACTORS``: fewer steps in the cold winter and the rainy, hot July–August,
  most in spring and in October;
* ``noise[p, d]``: day-to-day changes, lognormal with mean 1 and a spread of about 30 %.

Steps are rounded to whole numbers and capped at ``MAX_STEPS``. The same arguments
always give the same table; the default (2,740 people × 365 days) has 1,000,100 rows,
takes about 0.1 s and 20 MB.

Example
-------
>>> table = daily_steps(people=10, seed=1)
>>> table.shape
(3650, 6)
>>> list(table.columns)
['date', 'month', 'person', 'age_group', 'town', 'steps']
"""
from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from course.errors import CourseError

#: The made-up villages (바당 is Jeju's word for the sea; 오름, a small volcanic hill; 올레, a lane).
TOWNS = ("바당마을", "오름마을", "귤밭마을", "돌담마을", "올레마을")
#: Share of people living in each of ``TOWNS``.
TOWN_SHARES = (0.30, 0.15, 0.25, 0.20, 0.10)
#: How much more (or less) people of each of ``TOWNS`` walk than the usual day.
TOWN_FACTORS = (1.00, 1.15, 1.05, 0.95, 1.10)
#: Age groups, their shares and the median usual day of each.
AGE_GROUPS = ("50대", "60대")
AGE_SHARES = (0.55, 0.45)
BASE_STEPS = (7000, 6000)
#: Month 1 (January) to 12 (December): the season's effect on walking.
MONTH_FACTORS = (0.85, 0.90, 1.00, 1.08, 1.10, 1.00, 0.80, 0.84, 1.00, 1.15, 1.05, 0.90)
WEEKEND_FACTOR = 1.10
#: Spread (standard deviation of the logarithm) of a person's usual day and of one day's steps.
PERSON_SPREAD = 0.25
DAY_SPREAD = 0.30
MAX_STEPS = 40_000


def _whole_number(name: str, value: object, smallest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < smallest:
        raise CourseError(
            f"'{name}'에는 {smallest} 이상의 정수를 넣어 주세요.", f"{name} must be an integer >= {smallest}, got {value!r}"
        )
    return int(value)


def daily_steps(people: int = 2740, year: int = 2021, seed: int = 5060) -> pd.DataFrame:
    """One year of synthetic daily step counts: one row per person per day.

    Parameters
    ----------
    people : number of made-up people (at least 1); 2,740 people over a 365-day year
        give 1,000,100 rows.
    year : the calendar year of the dates (a leap year has 366 days).
    seed : seed of the ``numpy`` Generator; the same seed gives the same table.

    Returns
    -------
    A DataFrame ordered by date, then person, with the columns ``date`` (datetime),
    ``month`` (1–12), ``person`` (1 to ``people``), ``age_group`` ("50대"/"60대",
    categorical), ``town`` (one of ``TOWNS``, categorical) and ``steps`` (whole steps).

    Raises
    ------
    CourseError : when ``people``, ``year`` or ``seed`` is not a whole number in range.

    Example
    -------
    >>> week = daily_steps(people=3, seed=7).head(3)
    >>> week["person"].tolist()
    [1, 2, 3]
    """
    people = _whole_number("people", people, 1)
    year = _whole_number("year", year, 1)
    seed = _whole_number("seed", seed, 0)
    rng = np.random.default_rng(seed)

    town = rng.choice(len(TOWNS), size=people, p=TOWN_SHARES)
    age = rng.choice(len(AGE_GROUPS), size=people, p=AGE_SHARES)
    base = np.asarray(BASE_STEPS, dtype=float)[age] * np.asarray(TOWN_FACTORS)[town]
    base *= rng.lognormal(mean=0.0, sigma=PERSON_SPREAD, size=people)

    dates = pd.date_range(f"{year:04d}-01-01", f"{year:04d}-12-31", freq="D")
    day = np.asarray(MONTH_FACTORS)[dates.month - 1] * np.where(dates.day_of_week >= 5, WEEKEND_FACTOR, 1.0)

    noise = rng.lognormal(mean=-DAY_SPREAD**2 / 2, sigma=DAY_SPREAD, size=(len(dates), people))
    steps = np.minimum(np.rint(day[:, None] * base[None, :] * noise), MAX_STEPS).astype(np.int32)

    days = len(dates)
    return pd.DataFrame(
        {
            "date": np.repeat(dates.values, people),
            "month": np.repeat(dates.month.to_numpy(dtype=np.int8), people),
            "person": np.tile(np.arange(1, people + 1, dtype=np.int32), days),
            "age_group": pd.Categorical.from_codes(np.tile(age, days), categories=list(AGE_GROUPS)),
            "town": pd.Categorical.from_codes(np.tile(town, days), categories=list(TOWNS)),
            "steps": steps.ravel(),
        }
    )
