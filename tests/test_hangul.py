"""Hangul typed where Latin was meant: the 한/영 key named, the word as it was probably meant."""
import pytest

from course.hangul import meant, to_qwerty
from kernel import Kernel, text_of


@pytest.mark.parametrize("typed, keys", [
    ("ㅔ갸ㅜㅅ", "print"),
    ("ㅣㅑㄹㄷㄸ테", "lifeExp"),  # Shift+E gives ㄸ
    ("ㅣㅑ볃", "lique"),
    ("ㅇㄹ", "df"),
    ("뭉", "and"),
    ("ㅏㅐㄱㄷㅁ", "korea"),
    ("쳐", "cu"),
    ("\u1166\u1163", "pi"),  # conjoining jamo, as Python spells a name it read
])
def test_jamo_go_back_to_the_keys_pressed(typed, keys):
    assert to_qwerty(typed) == keys


def test_a_guess_only_when_it_is_likely():
    assert meant("ㅔ갸ㅜㅅ") == "print"  # a Python word
    assert meant("ㅣㅑㄹㄷㄸ테", ["lifeExp", "pop"]) == "lifeExp"  # a name that exists
    assert meant("ㅣㅑ볃", ["lifeExp"]) == "lique"  # lone jamo: surely the wrong mode
    assert meant("점수") is None  # real Korean is left alone
    assert meant("score") is None


@pytest.fixture
def kernel(tmp_path):
    running = Kernel(tmp_path)
    running.run("import course\nnb = course.start('00_getting_started', points=8, items=5)")
    yield running
    running.close()


@pytest.mark.parametrize("code, word", [
    ('ㅔ갸ㅜㅅ("안녕하세요")', "print"),
    ("lifeExp = 78.6\nㅣㅑㄹㄷㄸ테", "lifeExp"),
    ('import pandas as pd\ndf = pd.DataFrame({"lifeExp": [78.6]})\ndf["ㅣㅑㄹㄷㄸ테"]', "lifeExp"),  # a column
])
def test_a_korean_mode_typo_names_the_key_in_a_real_kernel(kernel, code, word):
    outputs = kernel.run(code)
    shown = text_of([o for o in outputs if o["type"] != "error"])
    assert "한/영 키" in shown and f"&#x27;{word}&#x27;" in shown and "자세히 보기" in shown
    errors = [o for o in outputs if o["type"] == "error"]
    assert errors and errors[0]["ename"] in ("NameError", "KeyError")  # still an error for nbgrader
    assert "Error" not in "".join(errors[0]["traceback"])  # the learner's first view is Korean


def test_a_real_korean_name_gets_the_usual_explanation(kernel):
    shown = text_of(kernel.run("점수"))
    assert "이름을 찾을 수 없어요" in shown and "한/영" not in shown
