"""The class report as one self-contained HTML page: Korean, large text, plotly.js embedded once.

Charts are plotly figures; lists are plain HTML tables and bars, which stay readable
when printed and cost the browser nothing to draw.
"""
from __future__ import annotations

import html
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from course.report.analysis import CompletionRule, Standing

KST = timezone(timedelta(hours=9))
#: plotly.js's cartesian bundle (heat map, scatter, box …): a third of the full library's size (see vendor/README.md).
PLOTLY_JS = Path(__file__).parent / "vendor" / "plotly-cartesian.min.js"
FONT = '"Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif'
LOW_DIFFICULTY, LOW_DISCRIMINATION = 0.3, 0.2
FLAG_KINDS = {
    "kernel_died": "커널이 멈췄어요", "cell_timeout": "칸 실행 시간 초과", "notebook_timeout": "노트북 실행 시간 초과",
    "memory": "메모리 초과", "output_cut": "출력이 잘렸어요", "missing_notebook": "노트북이 없어요",
    "renamed_notebook": "노트북 이름이 바뀌었어요", "corrupt_notebook": "노트북 파일이 손상됐어요",
    "answers_unreadable": "답 파일을 읽을 수 없어요", "test_cell_deleted": "채점 칸이 지워졌어요",
    "test_cell_edited": "채점 칸이 고쳐졌어요", "sandbox_unavailable": "격리 채점을 못 했어요",
    "not_graded": "채점 결과가 없어요", "flags_unreadable": "채점 표시 파일이 손상됐어요",
}
SECTIONS = [("progress", "진도"), ("items", "문항 분석"), ("options", "자주 고른 오답"), ("labeling", "레이블 품질"),
            ("time", "학습 시간"), ("flags", "채점 표시"), ("completion", "수료")]

CSS = f"""
body {{ font-family: {FONT}; font-size: 20px; line-height: 1.6; color: #111; background: #fff; margin: 0; }}
main {{ max-width: 1200px; margin: 0 auto; padding: 24px; }}
h1 {{ font-size: 36px; margin: 8px 0; }} h2 {{ font-size: 30px; margin-top: 56px; border-bottom: 4px solid #1f4e79; }}
h3 {{ font-size: 24px; margin: 28px 0 8px; }}
nav a {{ display: inline-block; font-size: 22px; padding: 8px 16px; margin: 4px; border: 2px solid #1f4e79;
        border-radius: 8px; color: #1f4e79; text-decoration: none; }}
table {{ border-collapse: collapse; font-size: 20px; margin: 12px 0; }}
th, td {{ border: 1px solid #999; padding: 6px 12px; text-align: left; vertical-align: top; }}
th {{ background: #e8eef5; white-space: nowrap; }} td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.bad {{ background: #fde2e2; }} .good {{ background: #e3f4e3; }} .nowrap {{ white-space: nowrap; }}
span[lang="en"] {{ overflow-wrap: anywhere; }}
.note {{ background: #f4f4f4; border-left: 6px solid #1f4e79; padding: 10px 16px; margin: 12px 0; }}
.cards {{ display: flex; flex-wrap: wrap; gap: 16px; }}
.card {{ border: 2px solid #1f4e79; border-radius: 10px; padding: 12px 20px; min-width: 180px; }}
.card b {{ display: block; font-size: 34px; }}
.question {{ border: 1px solid #bbb; border-radius: 10px; padding: 8px 20px 16px; margin: 16px 0; }}
.bar {{ display: grid; grid-template-columns: minmax(280px, 1fr) 2fr; gap: 12px; align-items: center; margin: 6px 0; }}
.track {{ display: flex; align-items: center; gap: 12px; }}
.bar .fill {{ height: 30px; background: #9db7d5; border-radius: 4px; flex: none; }}
.bar.right .fill {{ background: #5aa05a; }} .bar.top .fill {{ background: #d64545; }}
.bar.top .label {{ font-weight: bold; color: #a01010; }}
.tag {{ font-size: 18px; padding: 2px 8px; border-radius: 6px; margin-left: 8px; white-space: nowrap; }}
.tag.right {{ background: #e3f4e3; color: #1d5e1d; }} .tag.top {{ background: #d64545; color: #fff; }}
details summary {{ font-size: 22px; cursor: pointer; color: #1f4e79; margin: 12px 0; }}
"""


def esc(value: object) -> str:
    return html.escape(str(value))


def percent(value: float) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.0%}"


def number(value: float, digits: int = 2) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """An HTML table; cells are HTML already (use :func:`esc`), a cell may be ``(html, css class)``."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for n, cell in enumerate(row):
            text, css = cell if isinstance(cell, tuple) else (cell, "")
            css = " ".join(filter(None, [css, "num" if n in numeric else ""]))
            cells.append(f'<td class="{css}">{text}</td>' if css else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def figure_html(figure: go.Figure) -> str:
    """A plotly figure as a ``div`` and its script (plotly.js itself is in the page's head once)."""
    figure.update_layout(font={"family": FONT, "size": 18}, paper_bgcolor="white", plot_bgcolor="white")
    return figure.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False, "responsive": True})


def section(anchor: str, title: str, *parts: str) -> str:
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{"".join(parts)}</section>'


def note(text: str) -> str:
    return f'<div class="note">{text}</div>'


# --- sections --------------------------------------------------------------------------

def progress_section(shares: pd.DataFrame, titles: dict[str, str], low: list[Standing], threshold: float) -> str:
    students, names = list(shares.index), list(shares.columns)
    short = [titles.get(name, name) for name in names]
    text = [[("미제출" if pd.isna(v) else f"{v:.0%}") for v in shares.loc[s]] for s in students]
    heat = go.Figure(go.Heatmap(
        z=(shares * 100).values, x=short, y=students, text=text, texttemplate="%{text}", textfont={"size": 18},
        zmin=0, zmax=100, colorscale=[[0, "#d64545"], [0.6, "#f2d16b"], [1, "#5aa05a"]],
        colorbar={"title": "득점률 %"}, hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>", xgap=2, ygap=2,
    ))
    heat.update_layout(height=160 + 34 * len(students), margin={"t": 40, "l": 120},
                       xaxis={"side": "top", "tickangle": -30}, yaxis={"autorange": "reversed", "type": "category"})
    handed = shares.notna().sum()
    cards = "".join(
        f'<div class="card">{esc(label)}<b>{value}</b></div>'
        for label, value in [("학습자", len(students)), ("과목", len(names)),
                             ("제출률", percent(handed.sum() / (len(students) * len(names)) if students and names else float("nan"))),
                             (f"기준 {threshold:.0%} 미만", f"{len(low)}명")]
    )
    named = table(["학습자", "전체 득점률", "제출한 과목", "아직 안 낸 과목"], [
        [f"<b>{esc(s.student)}</b>", (percent(s.share), "bad"), f"{s.handed_in} / {len(names)}",
         esc(", ".join(titles.get(m, m) for m in s.missing) or "없음")] for s in low
    ], numeric=(1, 2)) if low else "<p>기준보다 낮은 학습자가 없어요.</p>"
    return section(
        "progress", "진도: 누가 무엇을 냈나요",
        f'<div class="cards">{cards}</div>',
        "<h3>학습자별 과목 득점률</h3>",
        note("칸마다 그 과목에서 얻은 점수의 비율이에요. '미제출'은 아직 내지 않은 과목이에요."),
        figure_html(heat),
        f"<h3>도움이 필요한 학습자 (전체 득점률 {threshold:.0%} 미만)</h3>",
        note("전체 득점률 = 이 보고서에 든 모든 과목의 점수 합 ÷ 만점 합. 내지 않은 과목은 0점으로 계산해요."),
        named,
    )


def _item_name(row: pd.Series) -> str:
    """``q3 — 문제 3 (1점). …`` (the question's text cut at 50 characters), or the id alone."""
    prompt = row.get("prompt")
    if not isinstance(prompt, str):
        return str(row["qid"])
    return f"{row['qid']} — {prompt[:50]}{'…' if len(prompt) > 50 else ''}"


def items_section(analysis: pd.DataFrame, items: pd.DataFrame, titles: dict[str, str]) -> str:
    if analysis.empty:
        return section("items", "문항 분석", "<p>채점된 제출물이 아직 없어요.</p>")
    merged = analysis.merge(items[["assignment", "grade_id", "qid", "prompt", "max_score"]], on=["assignment", "grade_id"], how="left")
    merged["name"] = merged.apply(_item_name, axis=1)
    merged["title"] = merged["assignment"].map(lambda a: titles.get(a, a))
    scatter = go.Figure(go.Scatter(
        x=merged["difficulty"] * 100, y=merged["discrimination"], mode="markers",
        marker={"size": 16, "color": "#1f4e79", "opacity": 0.75},
        text=merged["title"] + "<br>" + merged["name"],
        hovertemplate="%{text}<br>정답률 %{x:.0f}%<br>변별도 %{y:.2f}<extra></extra>",
    ))
    scatter.add_hline(y=LOW_DISCRIMINATION, line_dash="dash", line_color="#d64545")
    scatter.add_vline(x=LOW_DIFFICULTY * 100, line_dash="dash", line_color="#d64545")
    scatter.update_layout(height=520, margin={"t": 30}, xaxis={"title": "정답률 (%) — 오른쪽일수록 쉬워요", "range": [-5, 105]},
                          yaxis={"title": "변별도 — 위일수록 잘 가려내요", "range": [-1.05, 1.05]})

    def concerns(row: pd.Series) -> list[str]:
        found = []
        if row["difficulty"] < LOW_DIFFICULTY:
            found.append("너무 어려워요")
        if not math.isnan(row["discrimination"]) and row["discrimination"] < LOW_DISCRIMINATION:
            found.append("잘하는 사람과 어려워하는 사람을 잘 못 가려요" if row["discrimination"] >= 0 else
                         "어려워하는 사람이 더 잘 맞혀요: 문제나 정답을 확인해 보세요")
        return found

    merged["concerns"] = merged.apply(concerns, axis=1)

    def rows(frame: pd.DataFrame) -> list[list]:
        return [[esc(r["title"]), esc(r["name"]), str(r["n"]),
                 (percent(r["difficulty"]), "bad" if r["difficulty"] < LOW_DIFFICULTY else ""),
                 (number(r["discrimination"]), "bad" if not math.isnan(r["discrimination"]) and r["discrimination"] < LOW_DISCRIMINATION else ""),
                 esc(", ".join(r["concerns"]) or "좋아요")] for _, r in frame.iterrows()]

    header = ["과목", "문항", "응시", "정답률", "변별도", "살펴볼 점"]
    flagged = merged[merged["concerns"].map(bool)]
    return section(
        "items", "문항 분석: 어느 문제가 어렵고, 어느 문제가 잘 가려내나요",
        note("<b>정답률</b> = 제출한 학습자가 얻은 점수 합 ÷ 얻을 수 있던 점수 합 (높을수록 쉬운 문제).<br>"
             "<b>변별도</b> = 그 과목 총점 상위 27% 학습자의 문항 득점률 − 하위 27% 학습자의 문항 득점률 "
             "(−1 ~ 1; 0.3 이상이면 잘 가려내고, 0.2 미만이면 문제를 살펴볼 만해요. 총점이 같으면 학습자 이름 순)."),
        figure_html(scatter),
        f"<h3>살펴볼 문항 ({len(flagged)}개)</h3>",
        table(header, rows(flagged), numeric=(2, 3, 4)) if len(flagged) else "<p>살펴볼 문항이 없어요.</p>",
        f"<details><summary>모든 문항 보기 ({len(merged)}개)</summary>{table(header, rows(merged), numeric=(2, 3, 4))}</details>",
    )


def options_section(counts: pd.DataFrame, titles: dict[str, str]) -> str:
    if counts.empty:
        return section("options", "자주 고른 오답", "<p>선택형 문제의 답이 아직 없어요.</p>")
    cards = []
    groups = list(counts.groupby(["assignment", "qid"], sort=False))
    confusion = {key: group["count"].where(group["top_wrong"], 0).max() / max(int(group["answered"].iloc[0]), 1) for key, group in groups}
    for (assignment, qid), group in sorted(groups, key=lambda pair: -confusion[pair[0]]):
        answered = int(group["answered"].iloc[0])
        top = max(int(group["count"].max()), 1)
        bars = []
        for row in group.itertuples():
            css = "top" if row.top_wrong else ("right" if row.right else "")
            tag = ('<span class="tag right">정답</span>' if row.right else "") + \
                  ('<span class="tag top">가장 많이 고른 오답</span>' if row.top_wrong else "")
            share = f"{row.count / answered:.0%}" if answered else "–"
            bars.append(
                f'<div class="bar {css}"><div class="label">{esc(row.option)}{tag}</div><div class="track">'
                f'<div class="fill" style="width:{75 * row.count / top:.0f}%"></div>{row.count}명 ({share})</div></div>'
            )
        prompt = group["prompt"].iloc[0]
        cards.append(
            f'<div class="question"><h3>{esc(titles.get(assignment, assignment))} · {esc(qid)}</h3>'
            f'<p>{esc(prompt) if isinstance(prompt, str) else ""}</p><p>답한 학습자: {answered}명</p>{"".join(bars)}</div>'
        )
    return section(
        "options", "자주 고른 오답: 어디에서 헷갈렸나요",
        note("선택형 문제마다 보기를 고른 학습자 수예요. <b>초록</b>은 정답, <b>빨강</b>은 가장 많이 고른 오답이에요. "
             "여러 개를 고르는 문제는 고른 보기를 모두 세요. 가장 많이 고른 오답을 고른 사람이 많은 문제부터 보여요."),
        "".join(cards),
    )


def labeling_section(quality: pd.DataFrame, pass_marks: dict[str, float]) -> str:
    if quality.empty:
        return section("labeling", "레이블 품질", "<p>레이블 작업 답이 아직 없어요.</p>")
    tasks = list(dict.fromkeys(quality["task"]))
    wide = quality.pivot_table(index="student", columns="task", values=["gold_accuracy", "kappa"], aggfunc="first")
    rows = []
    for student in wide.index:
        row = [f"<b>{esc(student)}</b>"]
        for task in tasks:
            accuracy, kappa = wide.loc[student].get(("gold_accuracy", task)), wide.loc[student].get(("kappa", task))
            accuracy = float("nan") if accuracy is None else accuracy
            kappa = float("nan") if kappa is None else kappa
            measured = not math.isnan(accuracy)
            row.append((percent(accuracy), ("bad" if accuracy < pass_marks.get(task, 0.75) else "good") if measured else ""))
            row.append((number(kappa), "bad" if kappa < 0.6 else ""))
        rows.append(row)
    header = ["학습자"] + [f"{task} {what}" for task in tasks for what in ("정답 문항", "카파")]
    means = quality.groupby("task", sort=False)[["gold_accuracy", "kappa"]].mean()
    summary = table(["작업", "평균 정답 문항 정확도", "평균 카파", "통과 기준"], [
        [esc(task), percent(means.loc[task, "gold_accuracy"]), number(means.loc[task, "kappa"]), percent(pass_marks.get(task, 0.75))]
        for task in tasks
    ], numeric=(1, 2, 3))
    return section(
        "labeling", "레이블 품질: 실전 레이블 작업을 얼마나 정확하게 했나요",
        note("<b>정답 문항 정확도</b> = 숨겨 둔 정답 문항(골드) 가운데 맞힌 비율(빨강은 통과 기준 미만). "
             "<b>카파</b> = 동료 작업자의 레이블과의 Cohen's kappa(우연히 맞는 만큼을 뺀 일치도, 1이 완전 일치, "
             "0.6 미만은 빨강). 학습자가 노트북에서 본 값과 같아요."),
        summary, table(header, rows, numeric=tuple(range(1, len(header)))),
    )


def time_section(minutes: pd.DataFrame, titles: dict[str, str], gap_minutes: int) -> str:
    measured = minutes.dropna(subset=["minutes"])
    if measured.empty:
        return section("time", "학습 시간", "<p>시간을 잴 수 있는 답이 아직 없어요.</p>")
    order = list(dict.fromkeys(measured["assignment"]))
    box = go.Figure()
    for assignment in order:
        values = measured[measured["assignment"] == assignment]
        box.add_trace(go.Box(y=values["minutes"], name=titles.get(assignment, assignment), boxpoints="all", jitter=0.4,
                             pointpos=0, marker={"size": 8}, line={"color": "#1f4e79"}, showlegend=False,
                             text=values["student"], hovertemplate="%{text}: %{y:.0f}분<extra></extra>"))
    box.update_layout(height=480, margin={"t": 30}, yaxis={"title": "분", "rangemode": "tozero"}, xaxis={"tickangle": -30})
    summary = measured.groupby("assignment", sort=False)["minutes"].agg(["count", "median", "min", "max"])
    rows = [[esc(titles.get(a, a)), str(int(r["count"])), f"{r['median']:.0f}분", f"{r['min']:.0f}분", f"{r['max']:.0f}분"]
            for a, r in summary.iterrows()]
    return section(
        "time", "학습 시간: 노트북마다 얼마나 걸렸나요",
        note(f"답을 저장한 시각(문항마다 처음과 마지막)을 차례로 놓고, 이웃한 시각 사이의 간격을 더했어요. "
             f"{gap_minutes}분보다 긴 간격은 쉰 시간으로 보고 빼요. 위젯 답이 두 개 이상 저장된 노트북만 잴 수 있어요."),
        figure_html(box), table(["과목", "잰 학습자", "가운데 값", "가장 짧게", "가장 길게"], rows, numeric=(1, 2, 3, 4)),
    )


def flags_section(flags: pd.DataFrame, titles: dict[str, str]) -> str:
    if flags.empty:
        return section("flags", "채점 표시", "<p>채점 중에 생긴 문제가 없어요.</p>")
    counts = flags["kind"].value_counts()
    summary = table(["종류", "건수"], [[esc(FLAG_KINDS.get(k, k)), str(n)] for k, n in counts.items()], numeric=(1,))
    rows = [[f"<b>{esc(r.student)}</b>", (esc(titles.get(r.assignment, r.assignment)), "nowrap"), esc("–" if pd.isna(r.item) else r.item),
             (esc(FLAG_KINDS.get(r.kind, r.kind)), "bad nowrap"), esc(r.message), f'<span lang="en">{esc(r.detail)}</span>']
            for r in flags.itertuples()]
    return section(
        "flags", "채점 표시: 채점이 제대로 되지 않은 제출물",
        note("시간 초과, 커널 멈춤, 빠진 노트북처럼 점수만 보고는 알 수 없는 일이에요. 점수를 매기기 전에 확인해 주세요."),
        summary, table(["학습자", "과목", "문항", "종류", "학습자에게 보인 말", "자세한 내용"], rows),
    )


def completion_section(table_: pd.DataFrame, rule: CompletionRule, csv_name: str) -> str:
    done = int((table_["수료"] == "예").sum())
    rows = [[f"<b>{esc(r['학습자'])}</b>", f"{r['제출한 과목 수']} / {r['전체 과목 수']}", f"{r['점수']:g} / {r['만점']:g}",
             percent(r["점수"] / r["만점"] if r["만점"] else 0.0), (esc(r["수료"]), "nowrap " + ("good" if r["수료"] == "예" else "bad")), esc(r["사유"])]
            for _, r in table_.iterrows()]
    return section(
        "completion", "수료: 기준을 채운 학습자",
        note(f"<b>수료 기준</b>: {esc(rule.describe())}. 수료 {done}명, 미수료 {len(table_) - done}명.<br>"
             f"같은 내용을 <b>{esc(csv_name)}</b> 파일(엑셀에서 열 수 있는 CSV)로도 저장했어요. 이 보고서와 같은 폴더에 있어요."),
        table(["학습자", "제출", "점수", "득점률", "수료", "사유"], rows, numeric=(1, 2, 3)),
    )


def page(sections: Sequence[str], assignments: Sequence[str], titles: dict[str, str], students: int,
         now: datetime | None = None) -> str:
    """The whole page: head with the styles and plotly.js, a table of contents, the sections."""
    made = (now or datetime.now(timezone.utc)).astimezone(KST).strftime("%Y년 %m월 %d일 %H:%M")
    nav = "".join(f'<a href="#{anchor}">{esc(title)}</a>' for anchor, title in SECTIONS)
    covered = ", ".join(titles.get(a, a) for a in assignments)
    return (
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>우리 반 학습 현황</title><style>{CSS}</style>"
        f'<script type="text/javascript">{PLOTLY_JS.read_text(encoding="utf-8")}</script></head>'
        f'<body><main><h1>우리 반 학습 현황</h1><p>만든 때: {made} (한국 시간) · 학습자 {students}명 · 과목: {esc(covered)}</p>'
        f"<nav>{nav}</nav>{''.join(sections)}</main></body></html>\n"
    )


def write(text: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
