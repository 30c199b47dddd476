"""The answer store: saved beside the notebook, restored, and never lost."""
import json

from course.answers import AnswerStore


def test_answers_round_trip_and_keep_each_other(tmp_path):
    store = AnswerStore("nb", tmp_path)
    store.save("q1", "가", "choice")
    store.save("q2", {"a": "X"}, "sort")
    store.save("q1", "나", "choice")
    again = AnswerStore("nb", tmp_path)
    assert again.load() == {"q1": "나", "q2": {"a": "X"}}
    data = json.loads((tmp_path / "nb.answers.json").read_text(encoding="utf-8"))
    assert data["notebook"] == "nb" and data["answers"]["q2"]["kind"] == "sort"


def test_no_file_means_no_answers(tmp_path):
    assert AnswerStore("nb", tmp_path).get("q1") is None


def test_an_unreadable_file_is_set_aside_not_deleted(tmp_path):
    (tmp_path / "nb.answers.json").write_text("{not json", encoding="utf-8")
    store = AnswerStore("nb", tmp_path)
    assert store.load() == {}
    kept = tmp_path / "nb.answers.json.unreadable-1"
    assert kept.read_text(encoding="utf-8") == "{not json"
    assert "옮겨 두었어요" in store.problem
    store.save("q1", "가", "choice")
    assert AnswerStore("nb", tmp_path).load() == {"q1": "가"}


def test_no_temporary_files_are_left_behind(tmp_path):
    store = AnswerStore("nb", tmp_path)
    for n in range(5):
        store.save(f"q{n}", n, "number")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.answers.json"]


def test_each_answer_keeps_when_it_was_first_and_last_saved(tmp_path, monkeypatch):
    import course.answers as answers
    from datetime import datetime, timezone

    times = iter([datetime(2021, 6, 1, 10, 0, tzinfo=timezone.utc), datetime(2021, 6, 1, 10, 7, tzinfo=timezone.utc)])

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return next(times)

    monkeypatch.setattr(answers, "datetime", Clock)
    store = AnswerStore("nb", tmp_path)
    store.save("q1", "가", "choice")
    store.save("q1", "나", "choice")
    entry = answers.read_entries(tmp_path / "nb.answers.json")["q1"]
    assert entry["value"] == "나"
    assert (entry["first_saved_at"], entry["saved_at"]) == ("2021-06-01T10:00:00+00:00", "2021-06-01T10:07:00+00:00")


def test_an_older_file_without_first_times_still_loads_and_keeps_its_time(tmp_path):
    from course.answers import read_entries

    old = {"format": 1, "notebook": "nb", "answers": {"q1": {"value": "가", "kind": "choice", "saved_at": "2021-06-01T09:00:00+00:00"}}}
    (tmp_path / "nb.answers.json").write_text(json.dumps(old), encoding="utf-8")
    store = AnswerStore("nb", tmp_path)
    assert store.load() == {"q1": "가"}
    store.save("q1", "나", "choice")
    assert read_entries(tmp_path / "nb.answers.json")["q1"]["first_saved_at"] == "2021-06-01T09:00:00+00:00"
