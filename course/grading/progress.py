"""A progress bar for a grading batch: submissions graded out of all, and how many could not be."""
from __future__ import annotations

import sys
from typing import TextIO

WIDTH = 24
STEPS = 10  # lines written to a log (not a terminal): one each tenth of the batch


class Progress:
    """One line redrawn on a terminal; on a log, a line now and then and at the end.

    It writes to the process's own standard error (``sys.__stderr__``), so a self-check
    started from a notebook's button shows it in the server's log, not in the notebook.
    """

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.stream = stream or sys.__stderr__
        self.terminal = self.stream.isatty()

    def line(self) -> str:
        filled = WIDTH * self.done // max(self.total, 1)
        bar = "█" * filled + "░" * (WIDTH - filled)
        failed = f" · 채점하지 못함 {self.failed}개" if self.failed else ""
        return f"채점 {bar} {self.done}/{self.total}개 제출물{failed}"

    def start(self) -> None:
        self._show()

    def advance(self, ok: bool) -> None:
        """One more submission finished (``ok``: graded)."""
        previous = self.done * STEPS // max(self.total, 1)
        self.done += 1
        self.failed += not ok
        if self.terminal or self.done == self.total or self.done * STEPS // self.total > previous:
            self._show()

    def _show(self) -> None:
        if self.terminal:
            self.stream.write("\r" + self.line() + ("\n" if self.done == self.total else ""))
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()
