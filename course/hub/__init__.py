"""The classroom on JupyterHub: the course service, its groups, the exchange, real accounts.

The names here are nbgrader's conventions for a course on a hub (its docs, "Using nbgrader
with JupyterHub"): a course service named after the course id, run by a grader account;
``formgrade-<course>`` may open the formgrader, ``nbgrader-<course>`` takes the course.
``hub/jupyterhub_config.py`` and ``hub/values.yaml`` both follow them.
"""
COURSE_ID = "bigdata-worker"  # the same as grader_config.py (a test keeps them equal)
GRADERS = f"formgrade-{COURSE_ID}"
STUDENTS = f"nbgrader-{COURSE_ID}"
GRADER = f"grader-{COURSE_ID}"  # the Unix account that runs the course service
