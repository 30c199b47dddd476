"""The learner's own export (course.fit2.mydata): de-identified before anything is shown or
saved, the lab's steps on it, and a large Korean message for every bad upload."""
from __future__ import annotations

import io
import json
import warnings
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from course.fit2 import formats as F
from course.fit2 import mydata
from course.fit2.errors import ExportError
from course.fit2.generator import generate_export
from course.fit2.loader import load_export


def zipped(folder: Path, skip: tuple[str, ...] = ()) -> bytes:
    """The export folder as the phone's .zip: the folder inside, every file but tables in ``skip``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if not path.name.startswith(skip):
                out.write(path, path.relative_to(folder.parent).as_posix())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def export_folder(tmp_path_factory):
    return generate_export(tmp_path_factory.mktemp("mine"), people=1, days=3, seed=31, start=date(2021, 6, 1))[0]


@pytest.fixture(scope="module")
def raw(export_folder):
    return load_export(export_folder)


def device_ids(export):
    return {str(d) for name in ("heart_rate", "steps", "sleep", "exercise", "stress")
            for d in getattr(export, name)["device_id"].dropna().unique()}


def test_deidentify_removes_profile_account_and_device_ids(raw):
    assert raw.person.birth_date and raw.person.height_cm and raw.person.weight_kg  # the fixture has them
    original_ids = device_ids(raw)
    assert original_ids and not original_ids & {"band", "phone"}
    mine = mydata.deidentify(raw)
    person = mine.person
    assert (person.user, person.birth_date, person.height_cm, person.weight_kg) == ("나", None, None, None)
    assert device_ids(mine) <= {"band", "phone"}
    assert (mine.steps["device"].astype(str) == mine.steps["device_id"].astype(str)).all()
    assert raw.person.user not in repr(mine.quality.to_dict()) and raw.person.user not in str(mine.folder)
    assert len(mine.heart_rate) == len(raw.heart_rate)


def test_upload_is_loaded_deidentified_and_not_kept(export_folder, raw, tmp_path):
    mine = mydata.load_upload(zipped(export_folder), "samsunghealth_export.zip")
    assert mine.person.birth_date is None and device_ids(mine) <= {"band", "phone"}
    assert len(mine.heart_rate) == len(raw.heart_rate)
    steps = mydata.run_steps(mine, tmp_path / "my_fit2_dataset")
    card = json.loads(steps.written["card_json"].read_text(encoding="utf-8"))
    assert card["synthetic"] is False and card["deidentified"] is True
    assert card["provenance"].startswith("Real, de-identified data (실제 데이터, 가명처리)")
    saved = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in steps.written.values())
    for secret in (*device_ids(raw), raw.person.birth_date, raw.person.user):
        assert secret not in saved
    assert steps.day == mydata.best_day(steps.labelled) and str(steps.day.date()) == "2021-06-02"
    assert set(steps.labelled["label"].unique()) <= {"sleep", "rest", "walk", "exercise"}


@pytest.mark.parametrize("content, message", [
    (b"", "빈 파일이에요"),
    (b"time,bpm\n1,2\n", "압축 파일(.zip)로 열 수 없어요"),
])
def test_bad_uploads_get_a_korean_message_naming_the_file(content, message):
    with pytest.raises(ExportError, match=message.replace("(", "\\(").replace(")", "\\)")) as info:
        mydata.load_upload(content, "내_파일.zip")
    assert info.value.file == "내_파일.zip" and info.value.korean.count("내_파일.zip") == 1
    assert "upload.zip" not in str(info.value)


def test_a_zip_without_heart_rate(export_folder):
    with pytest.raises(ExportError, match="꼭 필요한 심박수 파일이 없어요") as info:
        mydata.load_upload(zipped(export_folder, skip=(F.HEART_RATE,)), "no_heart.zip")
    assert info.value.file == "no_heart.zip"


def upload(panel, name, content):
    panel.upload.value = ({"name": name, "type": "application/zip", "size": len(content),
                           "content": memoryview(content),
                           "last_modified": datetime(2026, 12, 1, tzinfo=timezone.utc)},)


def test_panel_shows_steps_and_keeps_them_after_a_bad_upload(export_folder, tmp_path):
    panel = mydata.UploadPanel(tmp_path / "out")
    assert "아직 올린 파일이 없어요" in panel.status.value and panel.steps is None
    upload(panel, "samsunghealth.zip", zipped(export_folder))
    assert "✅" in panel.status.value and panel.steps is not None
    assert panel.upload.value == ()  # the uploaded bytes are dropped
    first = panel.steps
    upload(panel, "사진.jpg", b"\xff\xd8\xff not a zip")
    assert "❌" in panel.status.value and "압축 파일(.zip)로 열 수 없어요" in panel.status.value
    assert "font-size:24px" in panel.status.value
    assert panel.steps is first and (tmp_path / "out" / "dataset.csv").exists()  # nothing lost


def test_the_course_lab_lets_an_upload_through_beyond_tornados_10_mb(tmp_path):
    from traitlets.config.loader import KVArgParseConfigLoader

    from course.jupyterlab import UPLOAD_MB, lab_command

    flag = next(a for a in lab_command(tmp_path) if "tornado_settings" in a)
    from jupyter_server.serverapp import ServerApp

    with warnings.catch_warnings():  # traitlets prefers key=value items, but those would be text, not a number
        warnings.simplefilter("ignore", DeprecationWarning)
        setting = KVArgParseConfigLoader([flag]).load_config().ServerApp.tornado_settings
        value = setting.get_value(ServerApp.class_traits()["tornado_settings"])  # as the server reads it
    assert value == {"websocket_max_message_size": UPLOAD_MB * 1024 * 1024}
    assert UPLOAD_MB * 1024 * 1024 > 10 * 1024 * 1024
