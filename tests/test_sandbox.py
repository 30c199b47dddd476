"""Grading learner code that cannot cheat, crash or slow down: the sandbox, its limits, the flags."""
import json

import pytest

from course.grading import flags


def test_flags_are_recorded_then_written_per_notebook(tmp_path):
    resources = {"metadata": {"path": str(tmp_path)}, "nbgrader": {"notebook": "a"}}
    flags.add(resources, "cell_timeout", "시간이 너무 오래 걸렸어요.", "cell 3 ran 60 s", item="q3")
    flags.WriteFlags().preprocess(None, resources)
    flags.write(tmp_path, "b", [{"kind": "kernel_died", "message": "멈췄어요.", "detail": "", "item": None}])
    flags.write(tmp_path, "a", [])  # graded again: a's earlier entries go, b's stay
    written = json.loads((tmp_path / flags.FILE).read_text(encoding="utf-8"))["flags"]
    assert written == [{"kind": "kernel_died", "message": "멈췄어요.", "detail": "", "item": None, "notebook": "b"}]
    assert resources[flags.KEY][0] == {"kind": "cell_timeout", "message": "시간이 너무 오래 걸렸어요.", "detail": "cell 3 ran 60 s", "item": "q3"}


def test_a_flag_kind_must_be_known_to_the_report():
    from course.report.page import FLAG_KINDS

    assert flags.KINDS <= set(FLAG_KINDS)
    with pytest.raises(ValueError):
        flags.add({}, "oops", "")
