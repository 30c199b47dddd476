"""Galaxy Fit2 lab tools: synthetic Samsung Health exports, a safe loader, cleaning and dataset tools.

The usual path through the lab::

    from course.fit2 import load_export, clean_export, minute_table, label_by_rule, write_dataset
    export = load_export("data/fit2/samsunghealth_fit2user01_20210615155566")
    clean = clean_export(export)
    table = label_by_rule(minute_table(clean))
    write_dataset(table, "my_dataset", {"title": "...", "source": "...", "synthetic": True})
"""
from course.fit2.cleaning import (
    clean_export,
    keep_one_step_device,
    local_day,
    remove_duplicate_heart_rates,
    remove_impossible_heart_rates,
    remove_overlapping_sleep,
    remove_short_exercises,
    steps_per_day,
)
from course.fit2.dataset import (
    LABELS,
    apply_manual_labels,
    label_by_rule,
    minute_table,
    resample,
    write_dataset,
)
from course.fit2.errors import ArgumentError, ExportError
from course.fit2.generator import Problems, generate_export
from course.fit2.loader import Export, Person, load_export
from course.fit2.quality import QualityReport

__all__ = [
    "ArgumentError", "Export", "ExportError", "LABELS", "Person", "Problems", "QualityReport",
    "apply_manual_labels", "clean_export", "generate_export", "keep_one_step_device", "label_by_rule",
    "load_export", "local_day", "minute_table", "remove_duplicate_heart_rates",
    "remove_impossible_heart_rates", "remove_overlapping_sleep", "remove_short_exercises", "resample",
    "steps_per_day", "write_dataset",
]
