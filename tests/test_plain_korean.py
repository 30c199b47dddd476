"""Every string a learner reads in the package and its templates is plain Korean in 해요체."""
import pytest

from helpers import REPO
from plain_korean import notebook_names, problems, python_strings, template_text

MODULES = sorted((REPO / "course").rglob("*.py"))
SEEN = notebook_names(sorted((REPO / "release").glob("*/*.ipynb")))
# Strings only instructors read: the demo's step names are nbgrader's own command names.
INSTRUCTOR_ONLY = {"demo.py"}
TEMPLATES = sorted(p for p in (REPO / "course" / "templates").rglob("*") if p.suffix in (".j2", ".html"))


@pytest.mark.parametrize("bad", [
    "오류가 났어요 (NameError)",
    "표(DataFrame)를 만들어요.",
    "'# YOUR CODE HERE' 아래에 답을 쓰세요.",
    "열 이름을 df.columns 로 확인해 주세요.",
    "min_minutes는 0 이상이어야 해요.",
    "아래에서 볼 수 있습니다.",
    "저장했습니다.",
    "다시 실행하십시오.",
    "채점합니다.",
])
def test_the_lint_finds_what_it_must(bad):
    assert problems(bad)


@pytest.mark.parametrize("good", [
    "아래에서 볼 수 있어요.",
    "열(column) 이름을 확인해 주세요.",
    "Shift + Enter 로 실행하세요.",
    "빈칸(___)을 채워 주세요.",
    "파일 sentiment_labels.csv 를 만들어요.",
    "JupyterLab 설정",
])
def test_the_lint_lets_plain_korean_through(good):
    assert not problems(good)


@pytest.mark.parametrize("filled", ["{type(v).__name__}", "{error}"])
def test_a_type_name_or_error_text_filled_into_a_sentence_is_found(tmp_path, filled):
    module = tmp_path / "m.py"
    module.write_text(f'def f(v, error):\n    return f"답의 종류가 달라요: {filled}"\n', encoding="utf-8")
    [(line, text)] = python_strings(module)
    assert line == 2 and problems(text)


def test_a_code_name_is_fine_only_where_the_notebooks_show_it():
    assert problems("min_minutes는 0 이상이어야 해요.", frozenset({"card_info"}))
    assert not problems("card_info 항목을 확인해 주세요.", frozenset({"card_info"}))
    assert problems("표(DataFrame)를 넣어 주세요.", frozenset({"DataFrame"}))  # type names never


@pytest.mark.parametrize("path", [p for p in MODULES if p.name not in INSTRUCTOR_ONLY], ids=lambda p: str(p.relative_to(REPO)))
def test_package_strings_are_plain_korean(path):
    found = [f"line {line}: {text!r}: {problem}" for line, text in python_strings(path) for problem in problems(text, SEEN)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_template_text_is_plain_korean(path):
    assert not problems(template_text(path))
