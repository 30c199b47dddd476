"""Charts readable from arm's length: large text in every plotly figure of the course."""
from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

FONT_SIZE = 18


def use_large_text() -> None:
    """Make plotly's default template draw titles, axes, labels and hover text large.

    A figure a learner makes with one line (``px.line(...)``) reads as well as the
    course's own; a figure that sets ``font_size`` itself keeps its own size.
    """
    pio.templates["course"] = go.layout.Template(layout={
        "font": {"size": FONT_SIZE},
        "hoverlabel": {"font": {"size": FONT_SIZE}},
    })
    pio.templates.default = "plotly+course"
