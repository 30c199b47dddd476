"""nbgrader's Execute for untrusted notebooks: sandboxed, time-limited, output-capped, crash-proof.

``CourseExecute`` takes nbgrader's place in ``Autograde.autograde_preprocessors``:

- every kernel starts through ``SandboxedKernelManager`` (nbgrader's own Execute passes
  its kernel manager as an argument, which beats configuration, so the configured
  ``kernel_manager_class`` is honoured here);
- besides the per-cell ``timeout``, the whole notebook has ``notebook_timeout``
  seconds: each cell gets what is left, at most its own limit;
- a cell keeps at most ``output_limit`` bytes of output, then a note that it was cut;
- a submitted notebook that is a symbolic link (nbgrader would follow it to the
  instructor's source or a classmate's work) is not run: its solution cells are
  emptied, every cell is marked as not run, and it is flagged;
- a kernel that dies (``os._exit``, a memory kill, a crash) or stops answering, or a
  notebook out of time, ends the run there: the outputs so far are kept, the cells
  left are marked as not run (so their test cells score nothing, never full marks),
  a flag is recorded, and nbgrader carries on with the next preprocessor and learner.
"""
from __future__ import annotations

import json
import math
import os
from pathlib import Path
from time import monotonic

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import ExecutePreprocessor
from nbformat import NotebookNode
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from traitlets import Integer, default

from course.grading import export, flags
from course.grading.sandbox import MiB, NOT_SANDBOXED, SandboxedKernelManager

NOT_RUN = "실행하지 않음"  # the error name of a cell that was not run
#: signs in a dead kernel's last words that it ran out of memory
MEMORY_SIGNS = ("MemoryError", "Cannot allocate memory", "bad_alloc", "out of memory")


class NotebookTimeout(Exception):
    """The notebook's total time is up."""


class CourseExecute(Execute):
    """Execute a learner's notebook in the sandbox, within time and output limits, to the end."""

    notebook_timeout = Integer(600, config=True, help="seconds for the whole notebook, on top of the per-cell timeout")
    output_limit = Integer(MiB, config=True, help="bytes of output a cell keeps; the rest is cut, with a note")

    def __init__(self, **kw):
        ExecutePreprocessor.__init__(self, **kw)  # not Execute's: it would override the configured kernel manager

    @default("kernel_manager_class")
    def _sandboxed_kernels(self):
        return SandboxedKernelManager

    def preprocess(self, nb, resources=None, km=None):
        link = self._submitted_link(resources)
        if link is not None:
            return self._refuse_link(nb, resources, link), resources
        self._deadline = monotonic() + self.notebook_timeout
        self._spent: dict[int, int] = {}
        self._current = None
        self._manager = None
        self.timeout_func = self._time_for
        try:
            nb, resources = super().preprocess(nb, resources, km)
        except NotebookTimeout:
            self._stop(nb, resources, "notebook_timeout", "채점 시간이 다 되어서 나머지 칸은 실행하지 못했어요.",
                       f"the notebook ran longer than {self.notebook_timeout} s in total", running=False)
        except CellTimeoutError as error:
            self._stop(nb, resources, "kernel_died", "커널이 멈춰서 대답하지 않아 나머지 칸은 실행하지 못했어요.",
                       f"the kernel did not answer after a timeout and an interrupt: {error}")
        except (DeadKernelError, RuntimeError, TimeoutError) as error:
            self._kernel_died(nb, resources, error)
        self.set_widgets_metadata()  # the widgets shown so far, also when the run stopped early
        if self._manager is not None and not self._manager.sandboxed:
            flags.add(resources, "sandbox_unavailable", NOT_SANDBOXED, "graded unsandboxed (SandboxedKernelManager.mode)")
        return nb, resources

    def _submitted_link(self, resources) -> Path | None:
        """The learner's submitted notebook when it is a symbolic link, else ``None``."""
        graded = resources.get("nbgrader", {}) if resources else {}
        if not graded:
            return None
        coursedir = CourseDirectory(config=self.config)
        folder = Path(coursedir.format_path(coursedir.submitted_directory, graded["student"], graded["assignment"]))
        path = folder / f"{graded['notebook']}.ipynb"
        return path if path.is_symlink() else None

    def _refuse_link(self, nb, resources, link: Path):
        """Grade nothing of a notebook submitted as a link, and keep what it points to out of the feedback."""
        for cell in nb.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                cell.source = ""
        self._current = 0
        self._stop(nb, resources, "corrupt_notebook", "제출한 노트북이 진짜 파일이 아니라 다른 파일을 가리키는 바로 가기여서 채점하지 않았어요. "
                   "노트북 파일을 그대로 다시 제출해 주세요.", f"{link} is a symbolic link to {os.readlink(link)}", running=False)
        return nb

    def create_kernel_manager(self):
        self._manager = super().create_kernel_manager()
        return self._manager

    def preprocess_cell(self, cell, resources, index):
        self._current = index  # the cell being run, or the first not run when the run stops
        if monotonic() >= self._deadline:
            raise NotebookTimeout()
        return super().preprocess_cell(cell, resources, index)

    def _time_for(self, cell: NotebookNode) -> int:
        """A cell's time limit: its own, or what is left of the notebook's when that is less."""
        left = math.ceil(self._deadline - monotonic())
        return max(1, min(left, self.timeout) if self.timeout and self.timeout > 0 else left)

    async def _async_handle_timeout(self, timeout, cell=None):
        if cell is not None and self.timeout and timeout >= self.timeout:  # cut by the notebook's deadline otherwise
            flags.add(self.resources, "cell_timeout", f"이 칸이 {self.timeout}초 안에 끝나지 않아서 멈췄어요.",
                      f"cell timed out after {timeout} s (Execute.timeout)", item=_grade_id(cell))
        return await super()._async_handle_timeout(timeout, cell)

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        content = kwargs["execute_reply"]["content"]
        if content.get("status") == "error" and content.get("ename") == "MemoryError":
            flags.add(self.resources, "memory", "메모리를 너무 많이 쓰려고 해서 이 칸을 멈췄어요.",
                      "MemoryError (the sandbox's address-space limit)", item=_grade_id(kwargs["cell"]))

    def output(self, outs, msg, display_id, cell_index):
        content = msg["content"]
        limit = self.output_limit
        if msg["msg_type"] == "display_data" and export.MIME in content.get("data", {}):
            limit = max(limit, export.LIMIT + export.FILE_LIMIT)  # a test cell's stub: the values it sends, as data
        room = limit - self._spent.get(cell_index, 0)
        size = _size(content)
        self._spent[cell_index] = self._spent.get(cell_index, 0) + size
        if size <= room:
            return super().output(outs, msg, display_id, cell_index)
        if msg["msg_type"] == "error":
            return super().output(outs, {**msg, "content": _shrunk_error(content, max(room, 0))}, display_id, cell_index)
        if room <= 0:
            return None
        if msg["msg_type"] == "stream":
            super().output(outs, {**msg, "content": {**content, "text": content["text"][:room]}}, display_id, cell_index)
        self._spent[cell_index] = self.output_limit + 1  # later outputs are dropped
        limit = self.output_limit // 1024
        outs.append(NotebookNode(output_type="stream", name="stdout",
                                 text=f"\n… 출력이 너무 길어서 처음 {limit}KB만 남기고 잘랐어요.\n"))
        flags.add(self.resources, "output_cut", f"이 칸의 출력이 너무 길어서 처음 {limit}KB만 남겼어요.",
                  f"cell output over {self.output_limit} bytes (CourseExecute.output_limit)",
                  item=_grade_id(self.nb.cells[cell_index]))
        return None

    def handle_comm_msg(self, outs, msg, cell_index):
        spent = self._spent.get(cell_index, 0) + _size(msg["content"])
        self._spent[cell_index] = spent
        if spent <= self.output_limit:
            super().handle_comm_msg(outs, msg, cell_index)

    def _kernel_died(self, nb, resources, error: Exception) -> None:
        last_words = getattr(self._manager, "log_tail", "")
        detail = f"{type(error).__name__}: {error}; the kernel's last output: {last_words[-800:]}"
        if any(sign in last_words for sign in MEMORY_SIGNS) or getattr(self._manager, "oom_killed", False):
            flags.add(resources, "memory", "메모리를 너무 많이 써서 커널이 멈췄어요.", detail, item=self._running_item(nb))
        self._stop(nb, resources, "kernel_died", "커널이 멈춰서 나머지 칸은 실행하지 못했어요. 앞에서 저장한 답은 그대로 채점해요.", detail)

    def _running_item(self, nb) -> str | None:
        return _grade_id(nb.cells[self._current]) if self._current is not None else None

    def _stop(self, nb, resources, kind: str, message: str, detail: str, running: bool = True) -> None:
        """Record why the run stopped, and mark the cell it stopped in and every later one as not run."""
        flags.add(resources, kind, message, detail, item=self._running_item(nb) if running else None)
        first = self._current if self._current is not None else 0
        for cell in nb.cells[first:]:
            if cell.cell_type == "code" and cell.source.strip():
                cell.setdefault("outputs", []).append(NotebookNode(
                    output_type="error", ename=NOT_RUN, evalue=message, traceback=[f"{NOT_RUN}: {message}"]))


def _grade_id(cell: NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _size(content: dict) -> int:
    """Roughly how many bytes an output message adds to the notebook."""
    if "text" in content:
        return len(content["text"])
    if "data" in content:
        return sum(len(value) if isinstance(value, str) else len(json.dumps(value)) for value in content["data"].values())
    return len(json.dumps(content, default=str))


def _shrunk_error(content: dict, room: int) -> dict:
    """An error output cut to about ``room`` bytes, at least its name and a line: a test cell's error must count."""
    keep = max(room, 2000)
    return {**content, "evalue": content.get("evalue", "")[:keep], "traceback": [line[:keep] for line in content.get("traceback", [])[-5:]]}
