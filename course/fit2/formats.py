"""Facts about the real Samsung Health export format of a Galaxy Fit2 wearer.

One place for table names, column lists, codes and limits, shared by the
generator (which writes these columns) and the loader (which reads them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

#: The time zone every tidy time is shown in: Korean Standard Time (UTC+9, no DST).
KST = "Asia/Seoul"
#: dtype of every tidy time column.
TIME_DTYPE = pd.DatetimeTZDtype("ns", KST)
#: Package name written in every row.
PKG_NAME = "com.sec.android.app.shealth"
#: App version in line 1 of every file (current and old exports).
APP_VERSION = {False: "7006011", True: "6305031"}
#: Columns old exports do not have yet.
NEWER_COLUMNS = ("create_sh_ver", "modify_sh_ver", "client_data_id", "client_data_ver")
#: Folder and file names.
FOLDER_PATTERN = re.compile(r"^samsunghealth_(?P<user>.+)_(?P<stamp>\d{14})$")
STAMP_PATTERN = r"\d{14}"

#: ``device_profile.device_group``: which kind of device wrote a row.
DEVICE_GROUPS = {360001: "phone", 360003: "band"}
DEVICE_KINDS = ("band", "phone", "other")
#: ``sleep_stage.stage`` codes.
SLEEP_STAGES = {40001: "awake", 40002: "light", 40003: "deep", 40004: "rem"}
#: ``exercise.exercise_type`` codes a Fit2 user has.
EXERCISE_TYPES = {1001: "walking", 1002: "running", 0: "custom"}
EXERCISE_KINDS = ("walking", "running", "custom", "other")
#: ``step_daily_trend.source_type`` for the total over all devices.
ALL_DEVICES_SOURCE = -2

#: Plausible range of real time offsets, in minutes (UTC-12:00 to UTC+14:00).
OFFSET_RANGE_MIN = (-12 * 60, 14 * 60)
#: Samsung Health (then S Health) appeared in 2012: earlier dates are impossible.
EARLIEST_TIME = pd.Timestamp("2012-01-01", tz="UTC")


def _prefixed(prefix: str, names: str) -> list[str]:
    return [f"{prefix}.{n}" for n in names.split()]


@dataclass(frozen=True)
class TableFormat:
    """One table of the export: its file name and its columns in current exports."""

    name: str
    columns: tuple[str, ...]
    number: int  # third field of line 1; differs per table

    @property
    def short_columns(self) -> tuple[str, ...]:
        """Column names without the data-type prefix, as in old exports."""
        return tuple(short_name(c) for c in self.columns)


def short_name(column: str) -> str:
    """``com.samsung.health.heart_rate.heart_rate`` → ``heart_rate``; other names unchanged."""
    return column.rsplit(".", 1)[-1] if column.startswith("com.samsung.") else column


#: Table names (the start of each file name).
HEART_RATE = "com.samsung.shealth.tracker.heart_rate"
STEP_COUNT = "com.samsung.shealth.tracker.pedometer_step_count"
DAY_SUMMARY = "com.samsung.shealth.tracker.pedometer_day_summary"
DAILY_TREND = "com.samsung.shealth.step_daily_trend"
SLEEP_TABLE = "com.samsung.shealth.sleep"
SLEEP_STAGE = "com.samsung.health.sleep_stage"
EXERCISE_TABLE = "com.samsung.shealth.exercise"
STRESS = "com.samsung.shealth.stress"
DEVICE_PROFILE = "com.samsung.health.device_profile"
USER_PROFILE = "com.samsung.health.user_profile"

#: Column prefixes (the data type) of current exports.
_HR = "com.samsung.health.heart_rate"
_STEP = "com.samsung.health.step_count"
_SLEEP = "com.samsung.health.sleep"
_EXERCISE = "com.samsung.health.exercise"

TABLES: dict[str, TableFormat] = {
    t.name: t
    for t in [
        TableFormat(
            HEART_RATE,
            ("source", "tag_id", *_prefixed(_HR, """create_sh_ver heart_beat_count start_time custom
                binning_data modify_sh_ver update_time create_time client_data_id max min
                client_data_ver time_offset deviceuuid comment pkg_name end_time datauuid heart_rate""")),
            3,
        ),
        TableFormat(
            STEP_COUNT,
            ("duration", "version_code", "run_step", "walk_step", *_prefixed(_STEP, """start_time
                sample_position_type custom update_time create_time count speed distance calorie
                time_offset deviceuuid pkg_name end_time datauuid""")),
            5,
        ),
        TableFormat(
            DAY_SUMMARY,
            tuple("""create_sh_ver step_count binning_data active_time recommendation modify_sh_ver
                run_step_count update_time source_package_name create_time source_info speed distance
                calorie walk_step_count deviceuuid pkg_name healthy_step achievement datauuid
                day_time""".split()),
            7,
        ),
        TableFormat(
            DAILY_TREND,
            tuple("""binning_data update_time create_time source_pkg_name source_type count speed
                distance calorie deviceuuid pkg_name datauuid day_time""".split()),
            4,
        ),
        TableFormat(
            SLEEP_TABLE,
            (*"""mental_recovery physical_recovery movement_awakening sleep_cycle efficiency
                sleep_score sleep_duration quality data_version""".split(),
             *_prefixed(_SLEEP, """create_sh_ver start_time custom modify_sh_ver update_time
                create_time client_data_id client_data_ver time_offset deviceuuid comment pkg_name
                end_time datauuid""")),
            11,
        ),
        TableFormat(
            SLEEP_STAGE,
            tuple("""create_sh_ver start_time sleep_id custom modify_sh_ver update_time create_time
                stage time_offset deviceuuid pkg_name end_time datauuid""".split()),
            2,
        ),
        TableFormat(
            EXERCISE_TABLE,
            (*"total_calorie source_type heart_rate_sample_count heart_rate_deviceuuid".split(),
             *_prefixed(_EXERCISE, """duration create_sh_ver start_time exercise_type custom
                mean_heart_rate modify_sh_ver max_heart_rate update_time create_time client_data_id
                max_speed min_heart_rate client_data_ver count distance calorie time_offset
                deviceuuid comment mean_speed pkg_name end_time datauuid""")),
            9,
        ),
        TableFormat(
            STRESS,
            tuple("""create_sh_ver start_time custom binning_data tag_id modify_sh_ver update_time
                create_time max min score algorithm time_offset deviceuuid comment pkg_name end_time
                datauuid""".split()),
            6,
        ),
        TableFormat(
            DEVICE_PROFILE,
            tuple("""manufacturer providing_step_goal create_sh_ver step_source_group device_type
                backsync_step_goal capability modify_sh_ver device_group update_time create_time name
                model legacy_deviceuuid connectivity_type deviceuuid pkg_name accessory_type
                fixed_name datauuid""".split()),
            8,
        ),
        TableFormat(
            USER_PROFILE,
            tuple("""text_value create_sh_ver float_value modify_sh_ver update_time create_time
                long_value key blob_value int_value deviceuuid pkg_name double_value
                datauuid""".split()),
            10,
        ),
    ]
}

def file_name(table: str, stamp: str) -> str:
    """``<table>.<14 digits>.csv``."""
    return f"{table}.{stamp}.csv"
