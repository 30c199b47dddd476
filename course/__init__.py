"""Big Data Worker course package: what the course's notebooks import.

>>> import course
>>> nb = course.start("00_getting_started", points=10, items=5)  # doctest: +SKIP
"""
from course.errors import CourseError
from course.notebook import Notebook, start

__all__ = ["CourseError", "Notebook", "start"]
