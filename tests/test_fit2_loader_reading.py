"""How the loader reads a file on disk: mapped, cut into blocks, parsed in parallel. Every check
of the whole-file reader must still hold when the problem sits in a later block, and the faster
paths must give what the plain definitions give."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course.fit2 import formats as F
from course.fit2 import quality as Q
from course.fit2 import rawcsv
from course.fit2.errors import ExportError
from course.fit2.loader import load_export
from fit2_cases import USER1, copy_export, table_path

HR = F.HEART_RATE


@pytest.fixture
def small_blocks(monkeypatch):
    """Files above 4 KiB are mapped and parsed in 4 KiB blocks, so a 2,000-line file has many."""
    monkeypatch.setattr(rawcsv, "_CHUNK", 4096)


@pytest.fixture(scope="module")
def original():
    return load_export(USER1)


def edit_line(path, number, edit):
    """Replace file line ``number`` (1-based) by ``edit(line)``; bytes elsewhere stay as they are."""
    lines = path.read_bytes().split(b"\n")
    lines[number - 1] = edit(lines[number - 1])
    path.write_bytes(b"\n".join(lines))


def test_a_non_utf8_byte_in_a_late_block_names_its_line(small_blocks, tmp_path):
    folder = copy_export(USER1, tmp_path)
    path = table_path(folder, HR)
    edit_line(path, 2000, lambda line: line.replace(b",,", ",\uce21\uc815,".encode("cp949"), 1))
    with pytest.raises(ExportError, match="CP949") as info:
        load_export(folder)
    assert info.value.file == path.name and info.value.line == 2000


def test_a_line_longer_than_a_block_is_read_whole(small_blocks, tmp_path, original):
    folder = copy_export(USER1, tmp_path)
    path = table_path(folder, HR)
    header = path.read_bytes().split(b"\n")[1].decode().split(",")
    comment = [F.short_name(h) for h in header].index("comment")

    def long_comment(line):
        fields = line.split(b",")
        fields[comment] = b"x" * 10_000  # two and a half blocks
        return b",".join(fields)

    edit_line(path, 1500, long_comment)
    loaded = load_export(folder)
    pd.testing.assert_frame_equal(loaded.heart_rate, original.heart_rate)
    assert "quotes" not in [n.kind for n in loaded.quality.notes]


def test_a_quote_in_a_late_block_is_noted(small_blocks, tmp_path, original):
    folder = copy_export(USER1, tmp_path)
    path = table_path(folder, HR)
    edit_line(path, 2200, lambda line: line.replace(b",,", b',"a, b",', 1))
    loaded = load_export(folder)
    pd.testing.assert_frame_equal(loaded.heart_rate, original.heart_rate)
    assert [n.where for n in loaded.quality.notes if n.kind == "quotes"] == [HR]


def test_the_first_broken_table_is_reported_first(tmp_path):
    """Steps are read before heart rate, yet a broken heart-rate file is still the one named."""
    folder = copy_export(USER1, tmp_path)
    for table in (HR, F.STEP_COUNT):
        path = table_path(folder, table)
        path.write_bytes(path.read_bytes()[:-70])
    with pytest.raises(ExportError, match="잘렸어요") as info:
        load_export(folder)
    assert info.value.file == table_path(folder, HR).name


def test_duplicate_mask_is_pandas_duplicated_in_any_order(original):
    heart_rate = original.heart_rate
    tied = pd.concat([heart_rate.iloc[:60]] * 3).sort_values("time", kind="stable", ignore_index=True)
    tied.loc[tied.index[::7], "device_id"] = heart_rate["device_id"].cat.categories[0]
    tied.loc[tied.index[::5], "device_id"] = np.nan
    frames = [heart_rate, heart_rate.sample(frac=1, random_state=3), tied, tied.astype({"device_id": object})]
    for frame in frames:
        expected = frame.duplicated(subset=["time", "device_id"], keep="first")
        pd.testing.assert_series_equal(Q.duplicate_heart_rate_mask(frame), expected)
