"""A real IPython kernel driven from a test, as JupyterLab would drive it."""
from __future__ import annotations

from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel


class Kernel:
    """A kernel started in ``folder``; ``run`` returns the messages' outputs of one cell."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manager, self.client = start_new_kernel(cwd=str(folder))

    def run(self, code: str) -> list[dict]:
        outputs: list[dict] = []

        def keep(message: dict) -> None:
            kind = message["header"]["msg_type"]
            if kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append({"type": kind, **message["content"]})

        self.client.execute_interactive(code, output_hook=keep, timeout=120)
        return outputs

    def run_notebook(self, path: Path) -> list[list[dict]]:
        """Run every code cell of ``path`` in order (JupyterLab's 'Run All')."""
        nb = nbformat.read(str(path), as_version=4)
        return [self.run(cell.source) for cell in nb.cells if cell.cell_type == "code"]

    def restart(self) -> None:
        self.manager.restart_kernel(now=True)
        self.client.wait_for_ready(timeout=60)

    def value(self, expression: str) -> str:
        """The ``text/plain`` result of ``expression``."""
        results = [o for o in self.run(expression) if o["type"] == "execute_result"]
        assert results, f"no result for {expression!r}"
        return results[0]["data"]["text/plain"]

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def text_of(outputs: list[dict]) -> str:
    """All text a learner sees in ``outputs`` (streams, HTML, plain text, error names)."""
    parts = []
    for output in outputs:
        parts.append(output.get("text", ""))
        data = output.get("data", {})
        parts += [data.get("text/html", ""), data.get("text/plain", "")]
        parts.append(output.get("ename", ""))
    return "\n".join(parts)
