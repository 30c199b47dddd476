"""The released notebook in a real kernel: widget answers survive a restart and are what nbgrader grades."""
import pytest

from course import demo
from helpers import course_copy, set_cell, scores
from kernel import Kernel, text_of

A = "00_getting_started"


@pytest.fixture
def learner(tmp_path):
    """A course whose assignment was released and fetched by one learner, as on a hub."""
    root = course_copy(tmp_path, [A])
    demo.build([A], root)
    demo.release([A], root)
    home = demo.learner_home(root, "kim")
    home.mkdir(parents=True)
    demo.nbgrader(["fetch_assignment", A], root, cwd=home)
    kernel = Kernel(home / A)
    yield root, home, kernel
    kernel.close()


def test_widget_answers_survive_a_restart_and_are_graded_after_submit(learner):
    root, home, kernel = learner
    notebook = home / A / f"{A}.ipynb"
    kernel.run_notebook(notebook)
    kernel.run('nb.questions["q1"].input.buttons["Shift + Enter"].click()')
    kernel.run('nb.questions["q2"].input.field.value = "9"')
    kernel.run('for option in ["인터넷으로 어디서나 할 수 있어요.", "회사 업무 과정의 한 부분이에요."]:\n'
               '    nb.questions["q4"].input.buttons[option].click()')
    kernel.run('nb.questions["q5"].input.move(2, -1)\nnb.questions["q5"].input.move(1, -1)')
    set_cell(home / A, A, "q3", "steps_total = 5200 + 6800 + 7400\nsteps_total")  # typed in the blank, saved

    kernel.restart()
    outputs = kernel.run_notebook(notebook)
    assert "저장된 답을 다시 불러왔어요" not in text_of(outputs[0])  # the setup cell itself shows no question
    assert kernel.value('nb.questions["q1"].input.chosen') == "['Shift + Enter']"
    assert kernel.value('nb.questions["q2"].input.field.value') == "'9'"
    assert kernel.value('nb.questions["q5"].input.current') == "['답하기', '피드백 읽기', '제출하기', '저장하기']"
    assert kernel.value("nb.bar.value") == "5"  # q1, q2, q4, q5 by widget, q3 by its filled blank

    demo.nbgrader(["submit", A, *demo.as_learner(root, "kim")], root, cwd=home)
    demo.nbgrader(["collect", A], root)
    demo.nbgrader(["autograde", A], root)
    # q1 1 + q2 1 + q3 1 + q4 two of three right (3 * 2/3 = 2) + q5 two of four in place (2 * 2/4 = 1)
    assert scores(root, A) == {"kim": 6.0}


@pytest.mark.parametrize("code, korean, name", [
    ("print(undefined_name)", "이름을 찾을 수 없어요", "NameError"),
    ('print("안녕"', "문법", "SyntaxError"),
    ('import pandas as pd\npd.DataFrame({"걸음 수": [1]})["걸음수"]', "열(column)", "KeyError"),
    ('"3" + 4', "값의 종류", "TypeError"),
    ("raise NotImplementedError()", "아직 비어 있어요", "NotImplementedError"),
    ('written = ___\nwritten["csv"]', "빈칸(___)이 아직 채워지지 않았어요", "TypeError"),  # a blank used further on
])
def test_beginner_errors_are_explained_in_korean_and_still_count_as_errors(learner, code, korean, name):
    _, home, kernel = learner
    kernel.run("import course\nnb = course.start('00_getting_started', points=8, items=5)")
    outputs = kernel.run(code)
    shown = text_of(outputs)
    assert korean in shown and "자세히 보기" in shown
    errors = [o for o in outputs if o["type"] == "error"]
    assert errors and errors[0]["ename"] == name  # nbgrader still sees an error
