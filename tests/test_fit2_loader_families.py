"""Real export shapes the loader takes as they come: one family per test, each fixture made
from the project's generator plus a small edit, each relaxation named in the quality report."""
from __future__ import annotations

import shutil
import zipfile
from datetime import date

import pandas as pd
import pytest

from course.fit2 import clean_export, label_by_rule, minute_table
from course.fit2 import formats as F
from course.fit2 import rawcsv
from course.fit2.errors import ExportError
from course.fit2.generator import Problems, generate_export
from course.fit2.loader import load_export
from fit2_cases import kst, table_path

TABLES = ("heart_rate", "steps", "sleep", "sleep_stages", "exercise", "stress", "daily_steps")
HR, STEPS = F.HEART_RATE, F.STEP_COUNT


@pytest.fixture(autouse=True, params=["whole", "streamed"])
def reading(request, monkeypatch):
    """Every family twice: files read into memory whole, and (tiny blocks) streamed by pyarrow from disk."""
    if request.param == "streamed":
        monkeypatch.setattr(rawcsv, "_CHUNK", 4096)


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    """A 3-day export and what the loader makes of it untouched."""
    folder = generate_export(tmp_path_factory.mktemp("gen"), people=1, days=3, seed=13, start=date(2021, 6, 1))[0]
    return folder, load_export(folder)


@pytest.fixture
def folder(original, tmp_path):
    """A private copy of the export that a test may edit."""
    return shutil.copytree(original[0], tmp_path / original[0].name)


def same_tables(loaded, expected, tables=TABLES):
    for name in tables:
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(expected, name), obj=name)


def kinds(export):
    return [n.kind for n in export.quality.notes]


def note(export, kind):
    (found,) = [n for n in export.quality.notes if n.kind == kind]
    assert found.message in export.quality.summary()  # every note is in the learner's report
    return found


def edit_lines(path, edit):
    """``edit(lines) -> lines`` on a table file's text lines (BOM, metadata and line ends kept as bytes say)."""
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.split("\n")
    body = lines[:-1] if lines[-1] == "" else lines
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(edit(body)) + "\n").encode("utf-8"))


def drop_column(path, short):
    """Remove a column (by short name) from the header and every row."""
    def edit(lines):
        header = lines[1].split(",")
        index = [F.short_name(h) for h in header].index(short)
        return lines[:1] + [",".join(f[:index] + f[index + 1:]) for f in (line.split(",") for line in lines[1:])]
    edit_lines(path, edit)


# ---------------------------------------------------------------- absent tables

def test_absent_tables_come_back_empty_and_are_named(folder, original):
    absent = [F.SLEEP_TABLE, F.SLEEP_STAGE, F.EXERCISE_TABLE, F.STRESS, F.DEVICE_PROFILE, F.USER_PROFILE,
              F.DAILY_TREND, F.DAY_SUMMARY]
    for table in absent:
        table_path(folder, table).unlink()
    loaded = load_export(folder)
    same_tables(loaded, original[1], ("heart_rate", "steps"))
    for name in ("sleep", "sleep_stages", "exercise", "stress", "daily_steps"):
        frame, expected = getattr(loaded, name), getattr(original[1], name)
        assert frame.empty and list(frame.columns) == list(expected.columns), name
        assert list(map(str, frame.dtypes)) == list(map(str, expected.dtypes)), name
    named = [n.where for n in loaded.quality.notes if n.kind == "absent_table"]
    assert named == [F.SLEEP_TABLE, F.SLEEP_STAGE, F.EXERCISE_TABLE, F.STRESS]
    assert "수면 파일(com.samsung.shealth.sleep)이 없어서 수면 표는 비어 있어요" in loaded.quality.summary()
    assert loaded.person.birth_date is None
    labelled = label_by_rule(minute_table(clean_export(loaded)))  # the lab goes on without them
    assert len(labelled) == 4 * 1440 and not labelled["asleep"].any()


def test_only_heart_rate_and_steps_are_required(folder):
    table_path(folder, STEPS).unlink()
    with pytest.raises(ExportError, match="꼭 필요한 걸음 수 파일이 없어요"):
        load_export(folder)


# ---------------------------------------------------------------- optional columns

def test_without_deviceuuid_the_device_is_unknown(folder, original):
    drop_column(table_path(folder, STEPS), "deviceuuid")
    drop_column(table_path(folder, HR), "deviceuuid")
    loaded = load_export(folder)
    assert loaded.steps["device"].isna().all() and loaded.steps["device_id"].isna().all()
    assert loaded.heart_rate["device"].isna().all()
    pd.testing.assert_series_equal(loaded.steps["steps"], original[1].steps["steps"])
    unknown = [n for n in loaded.quality.notes if n.kind == "absent_column:deviceuuid"]
    assert sorted(n.where for n in unknown) == sorted([table_path(folder, HR).name, table_path(folder, STEPS).name])
    assert all("어느 기기가 쟀는지 알 수 없어요" in n.message for n in unknown)
    clean = clean_export(loaded)  # nothing to choose between: every step row is kept
    assert len(clean.steps) == len(loaded.steps)
    assert clean.cleaning["other_device_steps"] == 0


def test_without_datauuid_and_end_time_where_the_analysis_needs_neither(folder, original):
    drop_column(table_path(folder, HR), "datauuid")
    drop_column(table_path(folder, STEPS), "end_time")
    drop_column(table_path(folder, F.STRESS), "end_time")
    loaded = load_export(folder)
    assert loaded.heart_rate["datauuid"].isna().all()
    pd.testing.assert_frame_equal(loaded.heart_rate.drop(columns="datauuid"),
                                  original[1].heart_rate.drop(columns="datauuid"))
    # the generator's step bins are one minute long: the same ends come back
    pd.testing.assert_frame_equal(loaded.steps, original[1].steps)
    assert (loaded.stress["end"] == loaded.stress["start"]).all()
    assert note(loaded, "absent_column:datauuid").where == table_path(folder, HR).name
    ends = {n.where: n.message for n in loaded.quality.notes if n.kind == "absent_column:end_time"}
    assert "시작하고 1분 뒤에 끝난 것으로 두었어요" in ends[table_path(folder, STEPS).name]
    assert "끝 시각을 시작 시각과 같게 두었어요" in ends[table_path(folder, F.STRESS).name]


# ---------------------------------------------------------------- row and header shapes

def test_rows_without_the_trailing_empty_field(folder, original):
    edit_lines(table_path(folder, HR), lambda lines: lines[:2] + [line[:-1] for line in lines[2:]])
    loaded = load_export(folder)
    same_tables(loaded, original[1])
    assert note(loaded, "no_trailing_field").where == HR


def test_a_row_that_differs_from_the_first_is_never_shifted(folder):
    def edit(lines):
        lines[10] = lines[10][:-1]  # file line 11 lost its trailing comma, the others kept it
        return lines
    edit_lines(table_path(folder, HR), edit)
    with pytest.raises(ExportError, match="칸 수가 21개인데 22개여야 해요") as info:
        load_export(folder)
    assert info.value.line == 11


@pytest.mark.parametrize("rows_trail", [True, False])
def test_header_line_ending_with_a_comma(folder, original, rows_trail):
    def edit(lines):
        rows = lines[2:] if rows_trail else [line[:-1] for line in lines[2:]]
        return [lines[0], lines[1] + ","] + rows
    edit_lines(table_path(folder, HR), edit)
    loaded = load_export(folder)
    same_tables(loaded, original[1])
    assert "header_comma" in kinds(loaded)
    assert ("no_trailing_field" in kinds(loaded)) is not rows_trail


def test_a_filled_field_after_the_last_column_is_refused(folder):
    def edit(lines):
        lines[5] = lines[5] + "9"  # file line 6: a value where the empty trailing field belongs
        return lines
    edit_lines(table_path(folder, HR), edit)
    with pytest.raises(ExportError, match="마지막 칸에 값이 있어요") as info:
        load_export(folder)
    assert info.value.line == 6


def test_crlf_line_ends(folder, original):
    for table in (HR, STEPS, F.SLEEP_TABLE):
        path = table_path(folder, table)
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    loaded = load_export(folder)
    same_tables(loaded, original[1])
    crlf = note(loaded, "crlf")
    assert crlf.where == ", ".join([HR, STEPS, F.SLEEP_TABLE]) and "CR LF" in crlf.message


def test_quoted_fields_with_commas_inside(folder, original):
    def edit(lines):
        header = lines[1].split(",")
        comment = [F.short_name(h) for h in header].index("comment")
        out = lines[:2]
        for line in lines[2:]:
            fields = line.split(",")
            fields[comment] = '"측정, 확인"'   # a comma inside quotes does not split the field
            fields[0] = f'"{fields[0]}"'      # a quoted plain field
            out.append(",".join(fields))
        return out
    edit_lines(table_path(folder, HR), edit)
    loaded = load_export(folder)
    same_tables(loaded, original[1])
    assert note(loaded, "quotes").where == HR


# ---------------------------------------------------------------- where the files are

@pytest.mark.parametrize("parents", [(), ("Samsung Health",)])
def test_folder_nested_one_or_two_levels_down(original, tmp_path, parents):
    top = tmp_path / "copy"
    shutil.copytree(original[0], top.joinpath(*parents, original[0].name))
    loaded = load_export(top)
    same_tables(loaded, original[1])
    assert loaded.person == original[1].person
    assert note(loaded, "nested_folder").where == "/".join([*parents, original[0].name])


def test_three_levels_down_is_too_deep(original, tmp_path):
    shutil.copytree(original[0], tmp_path / "a" / "b" / "c" / original[0].name)
    with pytest.raises(ExportError, match="내보내기의 표 파일\\(.csv\\)을 찾을 수 없어요"):
        load_export(tmp_path / "a")


@pytest.mark.parametrize("inside", ["folder", "root"])
def test_the_zip_itself(original, tmp_path, inside):
    archive = tmp_path / "samsunghealth_export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(original[0].rglob("*")):
            relative = path.relative_to(original[0].parent if inside == "folder" else original[0])
            out.write(path, relative.as_posix())
    loaded = load_export(archive)
    same_tables(loaded, original[1])
    assert loaded.person.birth_date == original[1].person.birth_date
    assert loaded.person.user == ("fit2user01" if inside == "folder" else "samsunghealth_export")
    assert note(loaded, "zip").where == archive.name
    assert ("nested_folder" in kinds(loaded)) is (inside == "folder")


def test_a_file_that_is_no_zip(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(ExportError, match="폴더나 그 폴더를 압축한 .zip 파일을 넣어 주세요"):
        load_export(text)


# ---------------------------------------------------------------- no time_offset

def test_without_time_offset_times_are_korean_local_time(tmp_path):
    calm = Problems(broken_offsets=0, far_dates=0)
    modern = load_export(generate_export(tmp_path / "m", people=1, days=2, seed=7, problems=calm)[0])
    legacy = generate_export(tmp_path / "l", people=1, days=2, seed=7, problems=calm, legacy=True)[0]
    drop_column(table_path(legacy, HR), "time_offset")  # old exports write local time
    loaded = load_export(legacy)
    pd.testing.assert_frame_equal(loaded.heart_rate, modern.heart_rate)
    first = table_path(legacy, HR).read_text(encoding="utf-8-sig").split("\n")[2].split(",")
    header = table_path(legacy, HR).read_text(encoding="utf-8-sig").split("\n")[1].split(",")
    assert loaded.heart_rate["time"].iloc[0] == kst(first[header.index("start_time")])
    warning = note(loaded, "absent_column:time_offset")
    assert "한국 시간으로 적힌 것으로 보고 읽었어요" in warning.message and HR in warning.where


# ---------------------------------------------------------------- two exports in one folder

def test_two_exports_mixed_in_one_folder_take_the_newest(tmp_path, original):
    older = generate_export(tmp_path / "old", people=1, days=2, seed=99, start=date(2021, 5, 1))[0]
    folder = shutil.copytree(original[0], tmp_path / "mixed")
    for path in older.glob("*.csv"):
        shutil.copy(path, folder)
    old_stamp, new_stamp = older.name[-14:], original[0].name[-14:]
    assert old_stamp < new_stamp
    loaded = load_export(folder)
    same_tables(loaded, original[1])
    assert loaded.person.export_stamp == new_stamp
    mixed = note(loaded, "mixed_exports")
    assert old_stamp in mixed.message and f"가장 새것({new_stamp})만 읽고" in mixed.message
