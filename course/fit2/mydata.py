"""The learner's own export in the Fit2 lab: upload, de-identify, then the lab's steps.

The optional, ungraded notebook ``my_data.ipynb`` of ``07_fit2_data_lab`` shows an
:class:`UploadPanel`. The learner chooses the ``.zip`` the Samsung Health app made;
the panel then, all on the learner's own server or computer:

1. loads it with :func:`~course.fit2.loader.load_export` from a temporary copy that is
   deleted straight after (the original upload is never saved);
2. removes the profile (birth date, height, weight), the account name and the device
   ids (:func:`deidentify`) before anything is shown or saved;
3. runs the lab's steps: clean, one day's chart, rule labels, and a dataset written with
   a data card marked real and de-identified (:func:`run_steps`).

A bad upload (not a zip, no heart-rate table, a damaged file …) gets one large Korean
message; whatever the panel showed before stays on screen.
"""
from __future__ import annotations

import dataclasses
import html
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd
from IPython.display import display

from course.fit2.cleaning import clean_export, local_day
from course.fit2.dataset import label_by_rule, minute_table, write_dataset
from course.fit2.errors import ExportError
from course.fit2.lab import LABEL_NAMES, cleaning_table, day_figure, select_days
from course.fit2.loader import Export, Person, load_export

#: Folder (beside the notebook) the learner's dataset is written to.
DATASET_FOLDER = "my_fit2_dataset"
#: What the de-identified export calls its owner.
OWNER = "나"
_DEVICE_TABLES = ("heart_rate", "steps", "sleep", "sleep_stages", "exercise", "stress")


def deidentify(export: Export) -> Export:
    """The export without its owner's profile, account name and device ids.

    ``person`` keeps only the export's 14 digits (the day it was made); ``device_id``
    becomes the kind of device (band / phone / other), which is all the cleaning needs;
    the folder and the quality notes no longer name the account.
    """
    user = export.person.user
    tables = {name: _without_device_ids(getattr(export, name)) for name in _DEVICE_TABLES}
    notes = tuple(dataclasses.replace(n, where=n.where.replace(user, OWNER), message=n.message.replace(user, OWNER))
                  for n in export.quality.notes)
    return dataclasses.replace(export, **tables, person=Person(OWNER, export.person.export_stamp),
                               folder=Path(OWNER), quality=dataclasses.replace(export.quality, notes=notes))


def _without_device_ids(table: pd.DataFrame) -> pd.DataFrame:
    if "device_id" not in table:
        return table
    return table.assign(device_id=table["device"].astype(str).where(table["device"].notna()).astype("category"))


def load_upload(content: bytes, file_name: str) -> Export:
    """Load an uploaded export ``.zip`` (its bytes) and de-identify it; nothing of it stays on disk."""
    if not content:
        raise ExportError("빈 파일이에요. 삼성 헬스에서 받은 .zip 파일을 다시 골라 주세요.", "empty upload",
                          file=file_name)
    with tempfile.TemporaryDirectory(prefix="fit2-upload-") as folder:
        path = Path(folder) / "upload.zip"
        path.write_bytes(content)
        try:
            return deidentify(load_export(path))
        except ExportError as error:  # name the learner's file, not the temporary copy
            raise ExportError(error.message, error.english.replace(path.name, file_name),
                              file=file_name if error.file == path.name else error.file, line=error.line) from None


def best_day(table: pd.DataFrame) -> pd.Timestamp:
    """The Korean day with the most heart-rate readings in a minute table (the most complete day)."""
    readings = table["hr_mean"].notna().groupby(local_day(table["time"])).sum()
    return readings.idxmax()


@dataclass(frozen=True)
class Steps:
    """What :func:`run_steps` made from one export."""

    clean: Export
    labelled: pd.DataFrame
    day: pd.Timestamp
    written: dict[str, Path]


def run_steps(export: Export, out_dir: str | Path = DATASET_FOLDER) -> Steps:
    """Clean, make the minute table with rule labels, pick a day and write the dataset."""
    clean = clean_export(export)
    labelled = label_by_rule(minute_table(clean))
    first, last = local_day(labelled["time"]).iloc[[0, -1]]
    written = write_dataset(labelled, out_dir, {
        "title": f"내 갤럭시 핏2 1분 단위 활동 레이블 ({first:%Y-%m-%d} ~ {last:%Y-%m-%d})",
        "source": "내 삼성 헬스 내보내기 (Samsung Health personal data download)",
        "synthetic": False,
        "deidentified": True,
        "description": "실제 데이터, 가명처리: 생일, 키, 몸무게와 기기 번호를 뺐어요. "
                       "레이블은 규칙(label_by_rule)으로만 붙였어요.",
        "quality": clean.quality,
    })
    return Steps(clean, labelled, best_day(labelled), written)


# ---------------------------------------------------------------- the panel

_BIG = "font-size:24px;line-height:1.5;padding:12px 16px;border-radius:8px;max-width:760px"


def message_html(icon: str, text: str, ok: bool) -> str:
    """One large status message; icon and words say the same as the colour."""
    colour, background = ("#1e6b2e", "#e6f4ea") if ok else ("#a61b1b", "#fdecea")
    return (f'<div role="status" style="{_BIG};color:{colour};background:{background};border:2px solid {colour}">'
            f"{icon} {html.escape(text)}</div>")


class UploadPanel:
    """An upload button for the export ``.zip`` and, once it is loaded, the lab's steps on it."""

    def __init__(self, out_dir: str | Path = DATASET_FOLDER) -> None:
        self.out_dir = Path(out_dir)
        self.steps: Steps | None = None
        self.upload = w.FileUpload(accept=".zip", multiple=False, description="📁 .zip 파일 고르기",
                                   layout=w.Layout(width="auto", min_width="260px", height="56px"))
        self.upload.style.font_size = "20px"
        self.status = w.HTML(message_html("⬆️", "아직 올린 파일이 없어요. 위 단추를 눌러 .zip 파일을 골라 주세요.", True))
        self.output = w.Output()
        self.upload.observe(self._on_upload, names="value")
        self.box = w.VBox([self.upload, self.status, self.output])

    def _ipython_display_(self) -> None:
        display(self.box)

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        name = upload["name"]
        self.status.value = message_html("⏳", f"'{name}' 파일을 읽고 있어요. 잠시 기다려 주세요.", True)
        try:
            export = load_upload(bytes(upload["content"]), name)
            steps = run_steps(export, self.out_dir)
        except ExportError as error:
            kept = " 앞에서 본 결과는 그대로 있어요." if self.steps else ""
            self.status.value = message_html("❌", f"{error.korean}{kept}", False)
            return
        finally:
            self.upload.value = ()  # the bytes are not kept in the kernel either
        self.steps = steps
        self.status.value = message_html("✅", f"'{name}' 파일을 읽었어요. 개인 정보(생일, 키, 몸무게, 기기 번호)는 "
                                         "빼고 보여 드려요.", True)
        self.output.clear_output()
        with self.output:
            show_steps(steps)


def show_steps(steps: Steps) -> None:
    """Display the steps' results: the quality report, cleaning, one day's chart, labels, the data card."""
    heading = '<h3 style="font-size:22px;margin:16px 0 4px">{}</h3>'
    clean, day = steps.clean, steps.day
    display(w.HTML(heading.format("1. 읽으면서 찾은 것 (품질 보고서)")))
    print(clean.quality.summary())
    display(w.HTML(heading.format("2. 정리 (가공)")))
    display(cleaning_table(clean))
    display(w.HTML(heading.format(f"3. 하루 그래프: {day:%Y년 %m월 %d일} (기록이 가장 많은 날)")))
    one_day = select_days(steps.labelled, f"{day:%Y-%m-%d}")
    day_figure(one_day, title=f"내 {day:%Y년 %m월 %d일} (규칙 레이블)").show()
    display(w.HTML(heading.format("4. 규칙 레이블 (모든 날)")))
    counts = steps.labelled["label"].value_counts().rename(index=LABEL_NAMES)
    display(counts.rename("분").rename_axis("레이블").to_frame())
    display(w.HTML(heading.format("5. 데이터셋과 데이터 카드")))
    print("\n".join(f"{kind}: {path}" for kind, path in steps.written.items()))
    print("\n".join(steps.written["card_md"].read_text(encoding="utf-8").splitlines()[:6]))
