"""Shared helpers for the Fit2 tests: the committed sample, raw-file access by plain text, tiny exports."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd

from course.fit2 import formats as F
from course.fit2.loader import Export, Person
from course.fit2.quality import QualityReport

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "fit2"
SAMPLE_ARGS = dict(people=3, days=14, seed=5060, start=date(2021, 6, 1))
USER1 = SAMPLE_DIR / "samsunghealth_fit2user01_20210615155566"
STAMP1 = "20210615155566"


def table_path(folder: Path, table: str) -> Path:
    """The one file of ``table`` in an export folder."""
    (path,) = folder.glob(f"{table}.*.csv")
    return path


def raw_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a file by plain string splitting (no pandas, no csv module)."""
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.split("\n")
    return lines[1].split(","), [line.split(",") for line in lines[2:] if line]


def copy_export(folder: Path, tmp_path: Path) -> Path:
    """A private copy of an export folder that a test may break."""
    target = tmp_path / folder.name
    shutil.copytree(folder, target)
    return target


def kst(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=F.KST)


def tiny_export(heart_rate: pd.DataFrame | None = None, steps: pd.DataFrame | None = None,
                sleep: pd.DataFrame | None = None) -> Export:
    """An Export built by hand, for tests of the dataset tools."""
    empty = pd.DataFrame()
    return Export(
        heart_rate=heart_rate if heart_rate is not None else hr_frame([], []),
        steps=steps if steps is not None else steps_frame([], []),
        sleep=sleep if sleep is not None else sleep_frame([]),
        sleep_stages=empty, exercise=empty, stress=empty, daily_steps=empty,
        quality=QualityReport(), person=Person("tiny", "00000000000000"), folder=Path("."),
        excluded=empty,
    )


def hr_frame(times: list[str], bpm: list[float], device_ids: list[str] | None = None) -> pd.DataFrame:
    ids = device_ids or ["B"] * len(times)
    return pd.DataFrame({"time": pd.Series([kst(t) for t in times], dtype=F.TIME_DTYPE),
                         "bpm": pd.Series(bpm, dtype=float), "device_id": ids,
                         "device": pd.Categorical(["band"] * len(times), categories=F.DEVICE_KINDS)})


def steps_frame(starts: list[str], counts: list[int], devices: list[str] | None = None) -> pd.DataFrame:
    start = pd.Series([kst(t) for t in starts], dtype=F.TIME_DTYPE)
    return pd.DataFrame({"start": start, "end": start + pd.Timedelta(minutes=1),
                         "steps": pd.Series(counts, dtype="int64"),
                         "device": pd.Categorical(devices or ["band"] * len(starts), categories=F.DEVICE_KINDS)})


def sleep_frame(spans: list[tuple[str, str]], devices: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame({
        "start": pd.Series([kst(s) for s, _ in spans], dtype=F.TIME_DTYPE),
        "end": pd.Series([kst(e) for _, e in spans], dtype=F.TIME_DTYPE),
        "device": pd.Categorical(devices or ["band"] * len(spans), categories=F.DEVICE_KINDS),
    })
