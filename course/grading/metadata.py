"""Cell metadata a learner changed so that nbgrader would refuse it: repaired before nbgrader reads it.

nbgrader checks every cell's ``nbgrader`` metadata against its schema and version. A
submitted notebook whose metadata claims a version from the future or the past does not
fail alone: ``nbgrader autograde`` stops the whole batch there ("SchemaTooNewError"), so
one learner could leave every later classmate ungraded. :class:`RepairMetadata`, first in
autograde's sanitising pass, gives every cell's metadata the current version and removes
metadata that still does not validate. What the learner's metadata claimed never counts:
nbgrader's ``OverwriteCells`` restores graded cells from the gradebook, and a test cell
left without its metadata is put back from ``source/`` and flagged
(:class:`course.grading.outside.ExportInsteadOfTests`).
"""
from __future__ import annotations

from nbformat import NotebookNode
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import NbGraderPreprocessor


class RepairMetadata(NbGraderPreprocessor):
    """Give each cell's nbgrader metadata the current schema version; drop what still does not validate."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        validator = MetadataValidator()
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader")
            if meta is None:
                continue
            if not isinstance(meta, dict):
                del cell.metadata["nbgrader"]
                continue
            if meta.get("schema_version") != validator.schema_version:
                self.log.warning("cell %s: nbgrader metadata version %r set to %s", meta.get("grade_id"),
                                 meta.get("schema_version"), validator.schema_version)
                meta["schema_version"] = validator.schema_version
            try:
                validator.validate_cell(cell)
            except Exception as error:  # noqa: BLE001 — jsonschema's ValidationError, or metadata of the wrong shape
                self.log.warning("cell %s: nbgrader metadata removed, it does not validate: %s", meta.get("grade_id"), error)
                del cell.metadata["nbgrader"]
        return nb, resources
