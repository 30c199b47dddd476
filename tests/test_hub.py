"""The whole nbgrader cycle through a real JupyterHub: real accounts, proxy, PostgreSQL, course service.

The instructor works through the formgrader's API on the course service; each learner
through the calls the Assignments panel makes on their own server, and answers with the
course's widgets in a real kernel on that server (over its websocket, as JupyterLab).
"""
import json
import os
import stat
from pathlib import Path

import nbformat
import pytest

from course.hub.client import ServerKernel, request
from hubclass import COURSE, assignments_call, classroom, formgrader, skip_or_fail

A = "00_getting_started"
pytestmark = [pytest.mark.hub, skip_or_fail()]

RIGHT_ORDER = ["답하기", "저장하기", "제출하기", "피드백 읽기"]
# Stated by hand (as in test_assignment_00): "full" answers everything right: 8 of 8.
# "half": q1 right (1), q2 wrong (0), q3 right (1), q4 two right + one wrong of three (3 * (2-1)/3 = 1),
# q5 two of four in place (2 * 2/4 = 1): 4 of 8. "blank" fetches and submits untouched: 0.
ANSWERS = {
    "full": {"q1": "Shift + Enter", "q2": "9", "q3": True,
             "q4": ["인터넷으로 어디서나 할 수 있어요.", "결과물의 완성도와 품질을 검사해요.", "회사 업무 과정의 한 부분이에요."],
             "q5": RIGHT_ORDER},
    "half": {"q1": "Shift + Enter", "q2": "8", "q3": True,
             "q4": ["인터넷으로 어디서나 할 수 있어요.", "결과물의 완성도와 품질을 검사해요.", "특별한 자격증이 꼭 있어야 해요."],
             "q5": ["답하기", "저장하기", "피드백 읽기", "제출하기"]},
    "blank": {},
}
EXPECTED = {"full": 8.0, "half": 4.0, "blank": 0.0}
MINE = f"{COURSE}/{A}"  # where the Assignments panel fetches to when the exchange path includes the course


def widget_code(answers: dict) -> str:
    """The widget clicks that give ``answers`` (the course's widget API, run in the learner's kernel)."""
    lines = []
    if "q1" in answers:
        lines.append(f'nb.questions["q1"].input.buttons[{answers["q1"]!r}].click()')
    if "q2" in answers:
        lines.append(f'nb.questions["q2"].input.field.value = {answers["q2"]!r}')
    for option in answers.get("q4", []):
        lines.append(f'nb.questions["q4"].input.buttons[{option!r}].click()')
    if "q5" in answers:
        lines += [f"order = nb.questions['q5'].input",
                  f"for place, item in enumerate({answers['q5']!r}):",
                  "    for at in range(order.current.index(item), place, -1):",
                  "        order.move(at, -1)"]
    return "\n".join(lines)


def fill_blank(room, user, token):
    """The learner types the answer into the code blank of q3 and saves the notebook."""
    url = room.hub.user_url(user, f"api/contents/{MINE}/{A}.ipynb")
    model = request(url, token).json()
    nb = nbformat.from_dict(model["content"])
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q3")
    cell.source = "steps_total = 5200 + 6800 + 7400\nsteps_total"
    assert request(url, token, "PUT", data={"type": "notebook", "format": "json", "content": nb}).status == 200


def answer(room, user, token, answers):
    """Open the fetched notebook in a kernel on the learner's server, run every cell, answer."""
    if answers.get("q3"):
        fill_blank(room, user, token)
    kernel = ServerKernel(room.hub, user, token, f"{MINE}/{A}.ipynb")
    try:
        content = request(room.hub.user_url(user, f"api/contents/{MINE}/{A}.ipynb"), token).json()["content"]
        for cell in content["cells"]:
            if cell["cell_type"] == "code":
                kernel.run(cell["source"])
        if answers:
            errors = [o for o in kernel.run(widget_code(answers)) if o["type"] == "error"]
            assert not errors, errors
        return kernel.run("import os; print(os.getcwd()); print(sorted(nb.store.load()))")
    finally:
        kernel.close()


@pytest.fixture(scope="module")
def cycle():
    """Release → fetch → answer → submit → collect → autograde → feedback → fetch feedback, once."""
    with classroom() as room:
        hub = room.hub
        learners = dict(zip(EXPECTED, room.learners))  # kind -> account name
        teacher = room.instructors[0]
        teacher_token = hub.token_for(teacher)
        tokens = {name: hub.token_for(name) for name in room.learners}
        results = {"room": room, "learners": learners, "tokens": tokens, "teacher_token": teacher_token}

        # The instructor generates and releases 00 from the formgrader (course service).
        assert formgrader(room, teacher_token, f"assignment/{A}/assign", "POST").json()["success"]
        assert formgrader(room, teacher_token, f"assignment/{A}/release", "POST").json()["success"]

        # Each learner: own server, fetch, answer in a real kernel, submit.
        for kind, name in learners.items():
            hub.start_server(name)
            listed = assignments_call(room, name, tokens[name]).json()
            assert listed["success"] and [a["status"] for a in listed["value"]] == ["released"]
            fetched = assignments_call(room, name, tokens[name], "fetch", A).json()
            assert fetched["value"][0]["status"] == "fetched" and fetched["value"][0]["path"] == MINE
            results[f"kernel-{kind}"] = answer(room, name, tokens[name], ANSWERS[kind])
            submitted = assignments_call(room, name, tokens[name], "submit", A).json()
            assert submitted["success"], submitted

        # The instructor collects, autogrades each learner, generates and releases feedback.
        assert formgrader(room, teacher_token, f"assignment/{A}/collect", "POST").json()["success"]
        for name in learners.values():
            graded = formgrader(room, teacher_token, f"submission/{A}/{name}/autograde", "POST").json()
            assert graded["success"], graded.get("error") or graded.get("log")
        assert formgrader(room, teacher_token, f"assignment/{A}/generate_feedback", "POST").json()["success"]
        assert formgrader(room, teacher_token, f"assignment/{A}/release_feedback", "POST").json()["success"]
        results["submissions"] = formgrader(room, teacher_token, f"submissions/{A}").json()

        # Each learner fetches their feedback from the Assignments panel.
        for name in learners.values():
            assignments_call(room, name, tokens[name], "fetch_feedback", A)
            results[f"feedback-{name}"] = request(hub.user_url(name, f"api/contents/{MINE}/feedback"), tokens[name]).json()
        yield results


def test_scores_are_exactly_as_stated(cycle):
    by_name = {row["student"]: row["score"] for row in cycle["submissions"]}
    assert {kind: by_name[name] for kind, name in cycle["learners"].items()} == EXPECTED


def test_the_gradebook_is_postgresql_not_a_file(cycle):
    room = cycle["room"]
    assert room.settings["gradebook_db"].startswith("postgresql+psycopg://")
    assert not (room.course_root / "gradebook.db").exists()


def test_answers_were_saved_by_the_widgets_in_the_learners_own_folder(cycle):
    room, full = cycle["room"], cycle["learners"]["full"]
    printed = "".join(o.get("text", "") for o in cycle["kernel-full"] if o["type"] == "stream")
    assert str(room.accounts[full].home / MINE) in printed and "['q1', 'q2', 'q4', 'q5']" in printed
    answers = json.loads((room.accounts[full].home / MINE / f"{A}.answers.json").read_text(encoding="utf-8"))
    assert answers["answers"]["q5"]["value"] == RIGHT_ORDER
    assert os.stat(room.accounts[full].home / MINE / f"{A}.answers.json").st_uid == room.accounts[full].uid


def test_each_learner_fetched_korean_feedback_with_their_score(cycle):
    room = cycle["room"]
    for kind, name in cycle["learners"].items():
        listing = cycle[f"feedback-{name}"]
        assert listing["type"] == "directory" and len(listing["content"]) == 1
        page_path = Path(room.accounts[name].home) / listing["content"][0]["path"] / f"{A}.html"
        page = page_path.read_text(encoding="utf-8")
        assert '<html lang="ko">' in page and f"점수: {EXPECTED[kind]:g} / 8점" in page


def test_a_learner_cannot_read_another_learners_files_or_find_their_submission(cycle):
    room, tokens = cycle["room"], cycle["tokens"]
    a, b = cycle["learners"]["full"], cycle["learners"]["half"]
    # Through the hub: A's token does not open B's server.
    assert request(room.hub.user_url(b, f"api/contents/{MINE}"), tokens[a]).status == 403
    # On the machine: A's kernel can neither open B's notebook nor list the exchange's inbound folder.
    inbound = Path(room.settings["exchange"]) / COURSE / "inbound"
    probe = str(room.accounts[b].home / MINE / f"{A}.ipynb")
    kernel = ServerKernel(room.hub, a, tokens[a], f"{MINE}/{A}.ipynb")
    try:
        outputs = kernel.run(
            "import os\n"
            f"try:\n    open({probe!r}).read(); print('READ')\nexcept PermissionError:\n    print('DENIED home')\n"
            f"try:\n    os.listdir({str(inbound)!r}); print('LISTED')\nexcept PermissionError:\n    print('DENIED inbound')\n"
        )
    finally:
        kernel.close()
    printed = "".join(o.get("text", "") for o in outputs)
    assert "DENIED home" in printed and "DENIED inbound" in printed and "READ" not in printed and "LISTED" not in printed
    # nbgrader's shared-folder exchange hides a submission by its name (time + 72 random bits), not by its
    # mode: the inbound folder is write-only (733) for learners, so B's folder name cannot be found.
    assert stat.S_IMODE(inbound.stat().st_mode) & 0o007 == 0o003
    b_submission = next(p for p in inbound.iterdir() if p.name.startswith(f"{b}+"))
    assert len(b_submission.name.rsplit("+", 1)[1]) == 12  # base64 of 9 random bytes


def test_only_instructors_open_the_formgrader(cycle):
    room = cycle["room"]
    learner = cycle["learners"]["full"]
    url = room.hub.service_url(COURSE, "formgrader")
    assert request(url, cycle["tokens"][learner]).status == 403
    page = request(url, cycle["teacher_token"])
    assert page.status == 200 and "formgrader" in page.text.lower()
    # JupyterHub >= 4.1 forbids framing servers ('none'); the course service allows its own origin,
    # so the formgrader loads in JupyterLab's iframe there; a member's own server keeps 'none'.
    assert page.headers["content-security-policy"].startswith("frame-ancestors 'self'")
    own = request(room.hub.user_url(learner, "api/status"), cycle["tokens"][learner])
    assert "frame-ancestors 'none'" in own.headers["content-security-policy"]


def test_everything_stops_and_nothing_is_left_even_after_a_failure():
    import pwd
    import socket

    with pytest.raises(RuntimeError, match="a test failed here"):
        with classroom() as room:
            learner = room.learners[0]
            room.hub.start_server(learner)
            kernel = ServerKernel(room.hub, learner, room.hub.token_for(learner), "")
            assert kernel.run("print(2 + 3)")[0]["text"] == "5\n"
            names = list(room.accounts)
            state = room.state
            ports = [room.settings[key] for key in ("port", "hub_port", "proxy_api_port", "service_port")]
            ports.append(room.database.port)
            pids = [room.hub_process.pid, room.database.pid(), room.hub.server_pid(learner)]
            raise RuntimeError("a test failed here")
    for name in names:  # the accounts, their homes and everything they ran are gone
        with pytest.raises(KeyError):
            pwd.getpwnam(name)
    assert not state.exists()
    for pid in pids:  # ended (a zombie that this container's init never reaps runs nothing)
        status = Path(f"/proc/{pid}/status")
        assert not status.exists() or "\nState:\tZ" in status.read_text(), status.read_text()
    for port in ports:  # nothing listens on the classroom's ports any more
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
