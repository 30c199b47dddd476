"""Plain-Korean explanations of the errors beginners meet most.

Importing the course (``course.start``) installs an IPython handler: above the usual
error it shows what went wrong and what to do next, and keeps the original traceback
one click away. The error itself still counts as an error (nbgrader sees it).
"""
from __future__ import annotations

import html
import numbers
import re
from typing import Any

from IPython import get_ipython
from IPython.display import HTML, display

from course.errors import CourseError
from course.hangul import meant

ANSI = re.compile(r"\x1b\[[0-9;]*m")
SEE_ABOVE = "⚠️ 위의 설명을 읽어 보세요. 원래 오류 메시지는 '자세히 보기'를 누르면 보여요."  # an error's short traceback


def explain(error: BaseException) -> str:
    """A plain-Korean sentence for ``error`` saying what happened and what to do."""
    message = str(error)
    if isinstance(error, CourseError):
        return error.korean
    if isinstance(error, NotImplementedError):
        return "이 칸은 아직 비어 있어요. 빈칸(___)에 답을 쓰고 다시 실행해 주세요."
    if isinstance(error, SyntaxError):
        return "코드의 모양(문법)이 맞지 않아요. 괄호, 따옴표(' \"), 쉼표가 짝이 맞는지 살펴 주세요."
    typo = korean_mode_typo(error)
    if typo:
        return typo
    if isinstance(error, NameError):
        name = getattr(error, "name", None) or message
        return (
            f"'{name}'(이)라는 이름을 찾을 수 없어요. 글자가 틀리지 않았는지, "
            "그 이름을 만드는 위쪽 칸을 먼저 실행했는지 확인해 주세요."
        )
    if isinstance(error, KeyError):
        return (
            f"{message} (이)라는 열(column) 이름이나 항목이 없어요. "
            "위에 나온 표의 맨 윗줄에서 열 이름을 확인하고, 글자와 띄어쓰기를 똑같이 써 주세요."
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


def korean_mode_typo(error: BaseException) -> str | None:
    """A name or column typed with the keyboard in Korean mode: name the 한/영 key and the word meant."""
    if isinstance(error, NameError):
        typed = getattr(error, "name", None)
    elif isinstance(error, KeyError) and error.args and isinstance(error.args[0], str):
        typed = error.args[0]
    else:
        return None
    word = meant(typed or "", known_names())
    if word is None:
        return None
    return (
        f"'{typed}'(은)는 키보드가 한글 상태일 때 쳐진 것 같아요. 키보드의 한/영 키를 한 번 누르면 "
        f"영어로 바뀌어요. 지우고 '{word}'(으)로 다시 써 보세요."
    )


def known_names() -> list[str]:
    """The notebook's variable names and its tables' column names: what a typo may have meant."""
    shell = get_ipython()
    if shell is None:
        return []
    known = [str(name) for name in shell.user_ns]
    for value in list(shell.user_ns.values()):
        if type(value).__name__ == "DataFrame":
            known += [str(column) for column in value.columns]
    return known


def kind_of(value: Any) -> str:
    """What kind of value this is, in the words of the course (표, 숫자, 글자 …)."""
    kinds = [
        (bool, "참/거짓 값"), (numbers.Number, "숫자"), (str, "글자"), (dict, "이름표가 붙은 목록"),
        ((list, tuple), "목록"), (type(None), "빈 값"),
    ]
    for kind, word in kinds:
        if isinstance(value, kind):
            return word
    name = type(value).__name__
    return {"DataFrame": "표", "Series": "표의 열 하나", "Figure": "그래프", "Blank": "빈칸(___)"}.get(name, "다른 종류의 값")


def explanation_html(error: BaseException, traceback_text: str) -> str:
    """The box shown above an error: the explanation and the original traceback, folded."""
    return (
        '<div style="font-size:20px;border-left:6px solid #c01c28;padding:8px 12px;background:#fff5f5">'
        f"<b>⚠️ 오류가 났어요</b><br>{html.escape(explain(error))}"
        '<details style="font-size:15px;margin-top:6px"><summary>자세히 보기 (원래 오류 메시지)</summary>'
        f"<pre>{html.escape(ANSI.sub('', traceback_text))}</pre></details></div>"
    )


def _handler(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None) -> list[str]:
    structured = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    display(HTML(explanation_html(value, "\n".join(structured))))
    short = [SEE_ABOVE]
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
