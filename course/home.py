"""The course home page: what ``course lab`` opens first.

One large button per module with its Korean title, how many graded items are answered
(from the answers file and the filled blanks of the learner's copy in ``work/``) and
the last self-check score (from nbgrader's gradebook). Served by JupyterLab's own
server at ``/course/home``, so it needs no kernel and is fresh on every visit.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.answers import AnswerStore
from course.cells import grading, is_check, notebook_title
from course.paths import WORK, assignments, course_root

URL = "/course/home"


@dataclass
class Module:
    """One assignment as the home page shows it."""

    assignment: str
    title: str
    notebook: str  # path from the course folder, for JupyterLab's /lab/tree/
    items: int
    answered: int
    score: float | None = None
    max_score: float | None = None


def answered_items(nb: nbformat.NotebookNode | None, path: Path) -> tuple[int, int]:
    """(answered, all) graded items of a learner's notebook: saved widget answers and filled blanks."""
    if nb is None:
        return 0, 0
    graded = {grading(cell)["grade_id"].removesuffix("_test") for cell in nb.cells if is_check(cell)}
    blanks = {
        grading(cell)["grade_id"]: "___" not in cell.source
        for cell in nb.cells if cell.cell_type == "code" and grading(cell).get("solution")
    }
    saved = AnswerStore(path.stem, path.parent).load() if path.parent.exists() else {}
    done = {qid for qid in graded if blanks.get(qid, qid in saved)}
    return len(done), len(graded)


def self_scores(root: Path) -> dict[str, tuple[float, float]]:
    """The last self-check score of each assignment (``course check`` or 채점받기)."""
    from course.selfcheck import SELF

    database = root / "gradebook.db"
    if not database.exists():
        return {}
    from nbgrader.api import Gradebook, MissingEntry

    scores = {}
    with Gradebook(f"sqlite:///{database}", course_id="bigdata-worker") as gradebook:
        for assignment in gradebook.assignments:
            try:
                submission = gradebook.find_submission(assignment.name, SELF)
            except MissingEntry:
                continue
            scores[assignment.name] = (submission.score, submission.max_score)
    return scores


def read(path: Path) -> nbformat.NotebookNode | None:
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception:  # a damaged copy must not take the home page down; it shows as not started
        return None


def modules(root: Path | None = None) -> list[Module]:
    """Every module in course order: titles from the release, progress from the learner's copy in ``work/``."""
    root = root or course_root()
    scores = self_scores(root)
    found = []
    for assignment in assignments(root):
        for released in sorted((root / "release" / assignment).glob("*.ipynb")):
            mine = root / WORK / assignment / released.name
            title = notebook_title(read(released) or nbformat.v4.new_notebook()) or assignment
            answered, items = answered_items(read(mine) or read(released), mine)
            score, max_score = scores.get(assignment, (None, None))
            found.append(Module(assignment, title, (mine if mine.exists() else released).relative_to(root).as_posix(),
                                items, answered, score, max_score))
    return found


STYLE = """
body { font-family: 'Noto Sans CJK KR', 'Noto Sans KR', sans-serif; font-size: 22px; margin: 0; background: #f6f8fa; color: #1d1d1d; }
main { max-width: 980px; margin: 0 auto; padding: 24px; }
h1 { font-size: 36px; margin: 8px 0; }
p.lead { font-size: 22px; line-height: 1.6; }
a.module { display: flex; align-items: center; gap: 24px; text-decoration: none; color: inherit; background: white;
  border: 3px solid #1a5fb4; border-radius: 14px; padding: 18px 24px; margin: 14px 0; min-height: 72px; }
a.module:hover, a.module:focus { background: #e8f0fb; outline: 4px solid #f5c211; }
.title { font-size: 26px; font-weight: bold; flex: 1; }
.state { font-size: 20px; text-align: right; min-width: 220px; }
.open { font-size: 22px; font-weight: bold; background: #1a5fb4; color: white; border-radius: 10px; padding: 12px 22px; }
progress { width: 200px; height: 22px; }
"""


def module_html(module: Module, base_url: str) -> str:
    score = (
        f"<div>점수: <b>{module.score:g} / {module.max_score:g}점</b></div>"
        if module.score is not None else "<div>아직 채점받지 않았어요</div>"
    )
    return (
        f'<a class="module" href="{html.escape(base_url)}lab/tree/{html.escape(module.notebook)}">'
        f'<span class="title">{html.escape(module.title)}</span>'
        f'<span class="state"><div>{module.answered} / {module.items} 문제 답함</div>'
        f'<progress value="{module.answered}" max="{max(module.items, 1)}"></progress>{score}</span>'
        f'<span class="open">열기 ▶</span></a>'
    )


def page_html(found: list[Module], base_url: str = "/") -> str:
    """The home page: a greeting, what to do, and one large button per module."""
    buttons = "\n".join(module_html(module, base_url) for module in found)
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>빅데이터 워커 과정</title><style>{STYLE}</style></head>
<body><main>
<h1>빅데이터 워커 과정에 오신 것을 환영해요</h1>
<p class="lead">배울 과목을 골라 큰 단추를 누르세요. 위에서부터 차례대로 하면 돼요.
과목마다 답한 문제 수와 마지막으로 채점받은 점수가 보여요.
과목을 다 하면 노트북 맨 아래의 <b>채점받기</b> 단추를 누르세요. 그 옆의 <b>과정 첫 화면으로</b> 단추를 누르면 이 화면으로 돌아와요.</p>
{buttons}
</main></body></html>"""


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "course.home"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Add ``/course/home`` to the Jupyter server (an extension ``course lab`` switches on)."""
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from tornado import web

    class HomeHandler(JupyterHandler):
        @web.authenticated
        def get(self) -> None:
            self.set_header("Cache-Control", "no-store")
            self.finish(page_html(modules(root), self.base_url))

    root = Path(serverapp.root_dir)
    route = url_path_join(serverapp.web_app.settings["base_url"], URL)
    serverapp.web_app.add_handlers(".*$", [(route, HomeHandler)])
