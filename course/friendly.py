"""Plain-Korean explanations of the errors beginners meet most.

Importing the course (``course.start``) installs an IPython handler: above the usual
error it shows what went wrong and what to do next, and keeps the original traceback
one click away. The error itself still counts as an error (nbgrader sees it).
"""
from __future__ import annotations

import html
import re
from typing import Any

from IPython import get_ipython
from IPython.display import HTML, display

from course.errors import CourseError

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def explain(error: BaseException) -> str:
    """A plain-Korean sentence for ``error`` saying what happened and what to do."""
    message = str(error)
    if isinstance(error, CourseError):
        return error.korean
    if isinstance(error, NotImplementedError):
        return "이 칸은 아직 비어 있어요. 빈칸(___)을 채우거나 '# YOUR CODE HERE' 아래에 답을 쓰고 다시 실행해 주세요."
    if isinstance(error, SyntaxError):
        return "코드의 모양(문법)이 맞지 않아요. 괄호, 따옴표(' \"), 쉼표가 짝이 맞는지 살펴 주세요."
    if isinstance(error, NameError):
        name = getattr(error, "name", None) or message
        return (
            f"'{name}'(이)라는 이름을 찾을 수 없어요. 글자가 틀리지 않았는지, "
            "그 이름을 만드는 위쪽 칸을 먼저 실행했는지 확인해 주세요."
        )
    if isinstance(error, KeyError):
        return (
            f"{message} (이)라는 열(column) 이름이나 항목이 없어요. "
            "표의 열 이름을 df.columns 로 확인하고, 글자와 띄어쓰기를 똑같이 써 주세요."
        )
    if isinstance(error, (TypeError, AttributeError)) and "'Blank'" in message:
        return "위쪽 칸의 빈칸(___)이 아직 채워지지 않았어요. 그 빈칸을 채워 실행한 다음 이 칸을 다시 실행해 주세요."
    if isinstance(error, TypeError):
        return "값의 종류(숫자, 글자 등)가 맞지 않아요. 숫자에 따옴표를 붙이지 않았는지 확인해 주세요."
    if isinstance(error, ValueError):
        return "값이 이 자리에 맞지 않아요. 안내에 나온 예와 같은 모양으로 써 주세요."
    if isinstance(error, AssertionError):
        return f"확인해 보니 아직 맞지 않아요. {message}".strip()
    return "문제가 생겼어요. 아래 '자세히 보기'를 눌러 내용을 확인하거나 강사에게 물어봐 주세요."


def explanation_html(error: BaseException, traceback_text: str) -> str:
    """The box shown above an error: the explanation and the original traceback, folded."""
    return (
        '<div style="font-size:20px;border-left:6px solid #c01c28;padding:8px 12px;background:#fff5f5">'
        f"<b>⚠️ 오류가 났어요 ({html.escape(type(error).__name__)})</b><br>{html.escape(explain(error))}"
        '<details style="font-size:15px;margin-top:6px"><summary>자세히 보기 (원래 오류 메시지)</summary>'
        f"<pre>{html.escape(ANSI.sub('', traceback_text))}</pre></details></div>"
    )


def _handler(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None) -> list[str]:
    structured = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    display(HTML(explanation_html(value, "\n".join(structured))))
    short = [f"{etype.__name__}: {value}", "(자세한 내용은 위의 '자세히 보기'를 눌러 보세요.)"]
    shell._showtraceback(etype, value, short)  # still an error: JupyterLab and nbgrader see it
    return short


def install() -> None:
    """Switch the explanations on in the running IPython kernel (no-op elsewhere)."""
    shell = get_ipython()
    if shell is None or getattr(shell, "_course_friendly", False):
        return
    shell.set_custom_exc((Exception,), _handler)
    original = shell.showsyntaxerror

    def showsyntaxerror(*args: Any, **kwargs: Any) -> None:
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, SyntaxError):
            display(HTML(explanation_html(error, f"{type(error).__name__}: {error}")))
        original(*args, **kwargs)

    shell.showsyntaxerror = showsyntaxerror
    shell._course_friendly = True


def define_blank(name: str, value: Any) -> None:
    """Put the fill-in blank into the notebook's namespace (IPython then leaves it alone)."""
    shell = get_ipython()
    if shell is not None:
        shell.user_ns[name] = value
