"""nbgrader preprocessors the course adds, in nbgrader's own shape."""
from __future__ import annotations

import re
from typing import Tuple

from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import ClearSolutions, NbGraderPreprocessor
from nbconvert.exporters.exporter import ResourcesDict
from traitlets import Unicode

from course.cells import hide_code

BLANK_LINE = re.compile(r"^(?P<target>[ \t]*[^=#\s][^=#\n]*?=)[ \t]*(?P<solution>[^#\n]+?)[ \t]*###[ \t]*BLANK[ \t]*$", re.MULTILINE)


class ClearSolutionsWithBlanks(ClearSolutions):
    """nbgrader's ``ClearSolutions``, plus one-line blanks.

    In a solution cell of ``source/``, a line such as ``growth = 58.2 - 23.4  ### BLANK``
    becomes ``growth = ___`` in the release: a beginner fills in one clear blank instead
    of facing ``raise NotImplementedError()``. Cells without BLANK lines are cleared by
    nbgrader exactly as before.
    """

    blank = Unicode("___", help="What replaces the solution on a BLANK line").tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int) -> Tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type != "code" or not BLANK_LINE.search(cell.source):
            return super().preprocess_cell(cell, resources, index)
        if not utils.is_solution(cell):
            raise RuntimeError(f"cell {index} has a '### BLANK' line but is not a solution cell: learners could not edit it")
        cell.source = BLANK_LINE.sub(lambda m: f"{m.group('target')} {self.blank}", cell.source)
        return cell, resources


class HideQuestionCode(NbGraderPreprocessor):
    """Fold the code of question and check cells in the release (``metadata.jupyter.source_hidden``).

    A learner sees the question and the line under the answer, not the Python that draws
    them; JupyterLab shows a bar that unfolds the code with one click.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> Tuple[NotebookNode, ResourcesDict]:
        hide_code(nb)
        return nb, resources
