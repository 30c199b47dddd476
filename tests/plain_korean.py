"""A lint for what learners read: plain Korean in 해요체, no English programming names.

Learner-visible strings are the package's string literals that contain Hangul (the
English detail for instructors has none), docstrings aside, and the text of the
course's templates. The original error and identifiers stay behind "자세히 보기".
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

HANGUL = re.compile(r"[가-힣ㄱ-ㅣ]")
FINAL_B = {chr(code) for code in range(0xAC00, 0xD7A4) if (code - 0xAC00) % 28 == 17}  # 합, 입, 됩 …
FORMAL = re.compile(rf"(습니다|습니까|십시오|[{''.join(sorted(FINAL_B))}]니(다|까))")
W = "[A-Za-z0-9_]"  # ASCII word characters: Hangul is a word character to ``\\b``, so ``min_minutes는`` needs these
START, END = f"(?<!{W})", f"(?!{W})"
EXTENSION = rf"(?:csv|json|parquet|html|ipynb|py){END}"  # a file's name is what a learner types, not code
TYPE_NAMES = [
    (re.compile(rf"{START}[A-Z][a-z]+[A-Z][A-Za-z]*{END}"), "a CamelCase name (DataFrame, NameError)"),
    (re.compile(rf"{START}{W}*(Error|Exception){END}"), "an error's English name"),
    (re.compile(r"YOUR CODE HERE|NotImplemented"), "nbgrader's English placeholder"),
]
CODE_NAMES = [
    (re.compile(rf"{START}[A-Za-z_]{W}*(\.(?!{EXTENSION})[A-Za-z_]{W}*)+{END}"), "a dotted name (df.columns)"),
    (re.compile(rf"{START}[a-z]+_[a-z0-9_]+{END}(?!\.{EXTENSION})"), "a snake_case name"),
    (re.compile(rf"{START}[A-Za-z_]{W}*\(\)"), "a call"),
]
PRODUCTS = {"JupyterLab", "JupyterHub"}  # names a learner reads on screen, spelled as they see them


def problems(text: str, seen: frozenset[str] = frozenset()) -> list[str]:
    """What is wrong with one learner-visible string (empty when it is fine).

    Type and error names are never right; a code name (``card_info``, ``export.heart_rate``)
    is fine when it is in ``seen``, the names a learner types or reads in the notebooks.
    """
    found = []
    for pattern, what in TYPE_NAMES:
        found += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(text) if m.group(0) not in PRODUCTS]
    for pattern, what in CODE_NAMES:
        found += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(text) if m.group(0).rstrip("()") not in seen]
    found += [f"합쇼체 ({m.group(0)!r}); write 해요체" for m in FORMAL.finditer(text)]
    return found


def docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def python_strings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each learner-visible string in a module; ``{…}`` marks a value filled in."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    inside_fstrings = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts.append(str(value.value))
                else:  # a type's own name or an error's text filled into a sentence is English too
                    shown = ast.unparse(value.value)
                    if "__name__" in shown:
                        parts.append("TypeName")
                    elif re.fullmatch(r"(error|err|exc|exception|e)", shown):
                        parts.append("SomeError")
                    else:
                        parts.append("{…}")
            text = "".join(parts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip | inside_fstrings:
            text = node.value
        else:
            continue
        if HANGUL.search(text):
            found.append((node.lineno, text))
    return found


def notebook_names(paths: list[Path]) -> frozenset[str]:
    """Every name written in the learners' notebooks (``card_info``, ``export.heart_rate`` …)."""
    names = set()
    for path in paths:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            names.update(re.findall(r"[A-Za-z_][\w.]*\w", "".join(cell["source"])))
    return frozenset(names)


def template_text(path: Path) -> str:
    """The words of a Jinja/HTML template, without tags, styles or template code."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)
