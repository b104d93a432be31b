"""Fuzzing the route table: whatever anyone sends to any route, the answer is at worst a 4xx.

Every HTTP route of the app (found in its route table, so a route added later is covered) is sent
inputs hypothesis draws (Unicode digits, numbers past 2⁶³, negative and empty values, long text,
files where a field was expected, extra, repeated and missing fields, bodies of every encoding)
as an anonymous visitor, a trainee and the facilitator, and fails on a 5xx, an exception or a
traceback in the log. Each kind's actions get payloads built from their own models and content,
over HTTP and the websocket, where a malformed message must be answered and the socket kept.

Everything runs in-process on one room opened for the module; the draws are derandomized so CI
sees the same inputs every run, and the room is put back (logged in, seated, not ended) after
each one. No route is skipped: each can be fuzzed in-process, the upload and the websockets too;
one more test holds what only a real connection shows (a refusal read to the end, not a reset)."""

import functools
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pytest
import uvicorn
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select
from starlette.websockets import WebSocketDisconnect

from app.auth import accounts
from app.config import Settings
from app.exports import links
from app.kinds import KINDS
from app.live import sessions, teams
from app.main import create_app
from app.models import LiveSession, Participant, Team
from app.plans.body import PlanBody
from app.plans.models import Plan
from tests.support.clients import PASSWORD, csrf_of, join, login
from tests.support.content import every_kind_content
from tests.support.database import fresh_database
from tests.support.i18n import t
from tests.support.routes import Route, routes
from tests.support.server import STARTING
from tests.support.ws import HEADERS

ROLES = ("anonymous", "trainee", "facilitator")
FUZZ = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

DEEP = settings(FUZZ, max_examples=25)  # an action's payload: more draws to reach past its checks

# Values that broke, or could break, a hand-written parser, a column or a template.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "nan",
    "inf",
    "true",
    "null",
    "²",  # str.isdigit() says yes, int() says no
    "①",
    "١٢",  # Arabic-Indic digits: int() takes them
    "１２",  # full-width digits
    "٣",
    str(2**31),
    str(2**63),  # past SQLite's INTEGER
    str(2**64 + 1),
    str(-(2**63) - 1),
    "9" * 40,
    "1_000",
    " 7 ",
    "\x00",
    "a\x00b",
    "\u202e\u202d",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "{}",
    "[]",
    '{"a": 1}',
    "x" * 65,
    "长" * 300,
    "x" * 5000,
]
# Field names of bodies some routes read themselves (a plan's save, the player's report).
READ_BY_HAND = ["base", "seq", "device", "body", "rev", "at", "playing", "duration", "activity", "id"]
CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=zzz",
    "application/json",
    "text/plain",
    "video/mp4",
    "application/octet-stream",
]


class Errors(logging.Handler):
    """The log records at ERROR and above while the fuzz runs (a traceback is a failure too)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> list[str]:
        found = [f"{r.name}: {r.getMessage()}\n{self.format(r)}" for r in self.records]
        self.records.clear()
        return found


@dataclass
class Room:
    """The app running with a session open: its facilitator, two seated trainees (in teams,
    one with a plan), an anonymous visitor, and the ids a route's path can name."""

    app: Any
    session_id: int
    code: str
    clients: dict[str, TestClient]
    tokens: dict[str, str]
    errors: Errors
    seated: dict[str, str] = field(default_factory=dict)  # role → the trainee's name
    joined: int = 0

    @property
    def course(self):
        return self.app.state.courses["kam"]

    def db(self) -> Session:
        return Session(self.app.state.engine, expire_on_commit=False)

    def known(self) -> dict[str, list[str]]:
        """Values that name something real, by the parameter or field they go in."""
        with self.db() as db:
            teams = [str(t.id) for t in db.exec(select(Team).where(Team.session_id == self.session_id))]
            people = [
                str(p.id)
                for p in db.exec(select(Participant).where(Participant.session_id == self.session_id))
            ]
            plans = list(db.exec(select(Plan).where(Plan.session_id == self.session_id)))
        course = self.course
        activities = [a.id for a in course.activities]
        action_names = sorted({n for k in self.app.state.kinds for n in (*k.actions, *k.facilitator_actions)})
        phases = sorted({p for k in self.app.state.kinds for p in k.phases})
        return {
            "session_id": [str(self.session_id)],
            "code": [self.code],
            "team_id": teams,
            "team": teams,
            "participant_id": people,
            "proposer": people,
            "plan_id": [str(p.id) for p in plans],
            "plan": [str(p.id) for p in plans],
            "customer": ["ZL", *(p.customer for p in plans)],
            "token": [
                links.sign(self.app.state.settings.resolved_secret(), self.session_id, int(p)) for p in people
            ],
            "activity_id": activities,
            "activity": activities,
            "seen": activities,
            "name": [*action_names, "甲队"],
            "course_id": ["kam"],
            "phase": phases,
            "lang": ["en", "zh-CN", "fr"],
            "locked": ["true", "false", "on"],
            "paused": ["true", "false"],
            "hidden": ["true", "false"],
            "count": ["1", "2", "3", "40", "41"],
            "revision": ["1", "2"],
            "body": [PlanBody().model_dump_json(), json.dumps({"objectives": [{}] * 3})],
            "next": ["/control", "//evil.example", "/play/" + self.code],
        }

    def restore(self, response, role: str) -> None:
        """Undo what a draw may have done to the room that would make every later draw shallow:
        the session live again, both trainees seated, the facilitator logged in."""
        with self.db() as db:
            session = db.get(LiveSession, self.session_id)
            if session.status == "ended" or session.paused or session.locked:
                session.status, session.ended_at = "running", None
                session.paused = session.locked = False
                db.add(session)
                db.commit()
            names = {
                p.display_name
                for p in db.exec(select(Participant).where(Participant.session_id == self.session_id))
            }
        for trainee, name in list(self.seated.items()):
            if name not in names:
                self.seat(trainee)
        if role == "facilitator" and self.maybe_out(response):
            self.log_in()

    def maybe_out(self, response) -> bool:
        """Whether the facilitator may be logged out after this request of theirs."""
        if response.request.url.path.startswith(("/control", "/screen")):
            return "/login" in response.headers.get("location", "")
        return self.clients["facilitator"].get("/control", follow_redirects=False).status_code != 200

    def show(self, activity, phase: str) -> None:
        """Put the activity on every screen, in this phase of its kind (if it has phases)."""
        with self.db() as db:
            session = sessions.get(db, self.session_id)
            sessions.go_to(db, session, self.course, activity.id)
            if phase:
                sessions.set_phase(db, session, self.course, phase)

    def log_in(self) -> None:
        client = self.clients["facilitator"]
        login(client)
        self.tokens["facilitator"] = client.headers.pop("X-CSRF-Token")

    def seat(self, role: str) -> None:
        """A trainee joined in this role: a new phone the first time; after their data was
        erased, the same phone again (its CSRF token, which draws may hold, stays the same)."""
        self.joined += 1
        name = f"学员{self.joined}"
        with self.db() as db:
            team = db.exec(select(Team).where(Team.session_id == self.session_id)).first()
        form = {"code": self.code, "name": name, "team": str(team.id) if team else ""}
        if role in self.clients:
            phone = self.clients[role]
            joined = phone.post(
                "/join", data={**form, "csrf_token": self.tokens[role]}, follow_redirects=False
            )
            assert joined.status_code == 303, joined.text
        else:
            phone = join(self.app, self.code, name, team=form["team"])
            self.tokens[role] = phone.headers.pop("X-CSRF-Token")
            self.clients[role] = phone
        self.seated[role] = name


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    config = Settings(
        _env_file=None,
        environment="test",
        database_url=fresh_database(folder),
        secret_key="fuzz-secret-" + "x" * 32,
        content_dir=every_kind_content(folder),
        data_dir=folder,
        public_url="http://testserver",
        heartbeat_seconds=0.2,
        coalesce_seconds=0.0,
        join_rate_per_minute=1_000_000,
        login_rate_per_minute=1_000_000,
        media_max_mb=1,
    )
    app = create_app(config)
    errors = Errors()
    logging.getLogger().addHandler(errors)
    try:
        with TestClient(app) as trainer:
            with Session(app.state.engine) as db:
                accounts.create(db, "trainer", PASSWORD)
            the_room = Room(app, 0, "", {"facilitator": trainer}, {}, errors)
            the_room.log_in()
            headers = {"X-CSRF-Token": the_room.tokens["facilitator"]}
            opened = trainer.post(
                "/control/sessions", data={"course_id": "kam"}, headers=headers, follow_redirects=False
            )
            the_room.session_id = int(opened.headers["location"].rsplit("/", 1)[1])
            with Session(app.state.engine) as db:
                the_room.code = sessions.get(db, the_room.session_id).code
            for name in ("甲队", "乙队"):
                trainer.post(f"/control/{the_room.session_id}/teams", data={"name": name}, headers=headers)
            the_room.seat("trainee")
            the_room.seat("partner")
            phone = the_room.clients["trainee"]
            phone.post(
                f"/play/{the_room.code}/plans",
                data={"customer": "zl", "stage": "trial"},
                headers={"X-CSRF-Token": the_room.tokens["trainee"]},
            )
            anonymous = TestClient(app)
            the_room.tokens["anonymous"] = csrf_of(anonymous)
            the_room.clients["anonymous"] = anonymous
            yield the_room
            assert not errors.take(), "the log has errors after the fuzz"
    finally:
        logging.getLogger().removeHandler(errors)


APP_ROUTES = routes(create_app(Settings(_env_file=None, environment="test", secret_key="s" * 32)))
HTTP_ROUTES = [r for r in APP_ROUTES if not r.websocket]
WS_ROUTES = [r for r in APP_ROUTES if r.websocket]


@functools.cache
def value(known: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """A field's value: one that names something real (if any), a nasty one, any text or number."""
    odd = (st.sampled_from(NASTY), st.text(max_size=20), st.integers(-(2**70), 2**70).map(str))
    return st.one_of(st.sampled_from(known), *odd) if known else st.one_of(*odd)


def as_json(text: str) -> Any:
    """A value as a script would send it in JSON: a number when it is one."""
    return int(text) if re.fullmatch(r"-?[0-9]+", text) else text


def requests(route: Route, known: dict[str, list[str]], token: str) -> st.SearchStrategy[dict]:
    """The arguments of one TestClient request to `route`, with the CSRF token sent or not (the
    strategies are made once per route: hypothesis spends its time on drawing, not making them)."""
    values = {name: value(tuple(found)) for name, found in known.items()}
    names = st.one_of(
        st.sampled_from([*route.form_fields, *READ_BY_HAND, *known]), st.text(min_size=1, max_size=12)
    )
    counts = st.sampled_from([1, 1, 1, 0, 2])  # a declared field: sent, missing or twice
    fillers = st.sampled_from([0, 0, 0, 0, 0, 1001, 1100])  # past Starlette's 1000 fields
    csrf = st.sampled_from(["header", "header", "header", "field", "wrong", "none"])
    encodings = st.sampled_from(["form", "form", "multipart", "json", "raw", "none"])
    as_file, in_json = st.sampled_from([False, False, True]), st.sampled_from(["text", "number", "list"])

    @st.composite
    def request(draw) -> dict:
        def of(name: str) -> str:
            return draw(values.get(name, value()))

        path = route.path
        for name in route.path_params:
            path = path.replace("{" + name + "}", quote(of(name), safe=""), 1)
        fields = [(name, of(name)) for name in draw(st.lists(names, max_size=8))]
        fields += [(name, of(name)) for name in route.form_fields for _ in range(draw(counts))]
        fields += [(f"f{i}", "v") for i in range(draw(fillers))]
        headers = {"HX-Request": "true"} if draw(st.booleans()) else {}
        sent = draw(csrf)
        if sent == "header":
            headers["X-CSRF-Token"] = token
        elif sent == "wrong":
            headers["X-CSRF-Token"] = token[::-1]
        elif sent == "field":
            fields.append(("csrf_token", token))
        method = draw(st.sampled_from(route.methods))
        query = [(name, of(name)) for name in route.query_params if draw(st.booleans())]
        if draw(st.booleans()):
            query.append((draw(names), of("")))
        result: dict[str, Any] = {"method": method, "url": path + ("?" + urlencode(query) if query else "")}
        encoding = draw(encodings) if method != "GET" else "none"
        if encoding == "form":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            result["content"] = urlencode(fields).encode()
        elif encoding == "multipart":
            result["files"] = [
                (
                    name,
                    ("f.bin", text.encode(), "application/octet-stream") if draw(as_file) else (None, text),
                )
                for name, text in fields
            ] or [("x", (None, ""))]
        elif encoding == "json":
            shapes = {"text": lambda v: v, "number": as_json, "list": lambda v: [v]}
            result["json"] = {name: shapes[draw(in_json)](text) for name, text in fields}
        elif encoding == "raw":
            headers["Content-Type"] = draw(st.sampled_from(CONTENT_TYPES))
            result["content"] = draw(st.binary(max_size=4096))
        if route.path.endswith("/media") and method == "POST":
            headers["X-File-Name"] = quote(draw(value(("clip.mp4",))), safe="")
        result["headers"] = headers
        return result

    return request()


def check(room: Room, response, label: str) -> None:
    errors = room.errors.take()
    assert response.status_code < 500, f"{label} → {response.status_code}: {response.text[:300]}"
    assert not errors, f"{label} logged: {errors[0]}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", HTTP_ROUTES, ids=lambda r: r.id)
def test_no_input_to_any_route_is_a_server_error(room, route, role):
    known = room.known()  # as the test starts: what draws come from must not change under them
    drawn = requests(route, known, room.tokens[role])

    @FUZZ
    @given(st.data())
    def fuzz(data):
        request = data.draw(drawn)
        response = room.clients[role].request(**request, follow_redirects=False)
        check(room, response, f"{role} {request['method']} {request['url']}")
        room.restore(response, role)

    fuzz()


def config_values(activity) -> list[str]:
    """The short texts and numbers in an activity's content: its option, item and card ids..."""
    found: dict[str, None] = {}

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                found.setdefault(str(key))
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, bool):
            found.setdefault(str(node).lower())
        elif isinstance(node, int | float) or (isinstance(node, str) and len(node) <= 40):
            found.setdefault(str(node))

    walk(activity.config.model_dump(mode="json"))
    return list(found)


def payloads(model, values: list[str], known: dict[str, list[str]]) -> st.SearchStrategy:
    """Form fields for an action: its model's fields (each maybe missing, repeated, or odd) and
    a few extra ones, with values from its content, the room, or the nasty list."""
    fields = {}
    for name in model.model_fields:
        likely = (*known.get(name, []), *values)
        fields[name] = st.one_of(st.sampled_from(likely), value(likely))  # half of them likely
    counts, extra = st.sampled_from([1, 1, 1, 1, 0, 2, 3]), st.text(min_size=1, max_size=8)

    @st.composite
    def payload(draw) -> list[tuple[str, str]]:
        sent = [(name, draw(field)) for name, field in fields.items() for _ in range(draw(counts))]
        return sent + [(draw(extra), draw(value(tuple(values)))) for _ in range(draw(st.integers(0, 2)))]

    return payload()


def activity_of(room: Room, kind) -> Any:
    found = [a for a in room.course.activities if a.kind == kind.name]
    assert found, f"the fuzz room has no {kind.name} activity: add one to every_kind_content"
    return found[0]


ACTING_KINDS = [k for k in KINDS if k.actions or k.facilitator_actions]


@pytest.mark.parametrize("kind", ACTING_KINDS, ids=lambda k: k.name)
def test_no_action_payload_is_a_server_error(room, kind):
    """Each kind's trainee and facilitator actions, on its own activity in each of its phases."""
    activity = activity_of(room, kind)
    values = config_values(activity)
    others = [a.id for a in room.course.activities if a.id != activity.id]
    acting = [p for p in kind.phases if any(p in a.phases for a in kind.actions.values())]
    phases = [*acting * 3, *kind.phases] or [""]  # mostly one where trainees may act
    known = room.known()
    roles = (["facilitator"] if kind.facilitator_actions else []) + (
        ["trainee", "partner"] if kind.actions else []
    )
    forms = {
        role: {n: payloads(a.payload_model, values, known) for n, a in actions.items()}
        for role, actions in (("facilitator", kind.facilitator_actions), ("trainee", kind.actions))
    }
    forms["partner"] = forms["trainee"]
    shown = st.sampled_from([activity.id] * 4 + [others[0], "", "../x"])  # the page's, or another

    @DEEP
    @given(st.data())
    def fuzz(data):
        room.show(activity, data.draw(st.sampled_from(phases)))
        for _ in range(data.draw(st.integers(1, 3))):
            role = data.draw(st.sampled_from(roles))
            name = data.draw(st.sampled_from(sorted(forms[role])))
            fields = [*data.draw(forms[role][name]), ("activity", data.draw(shown))]
            url = (
                f"/control/{room.session_id}/kind/{name}"
                if role == "facilitator"
                else f"/play/{room.code}/act/{name}"
            )
            headers = {
                "X-CSRF-Token": room.tokens[role],
                "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            response = room.clients[role].post(url, content=urlencode(fields), headers=headers)
            check(room, response, f"{role} {url} {fields}")
        room.restore(response, role)

    fuzz()


def messages(names: list[str], activities: list[str], values: list[str]) -> st.SearchStrategy[str]:
    """A websocket message: mostly an action with fields, or JSON of another shape, or not JSON."""
    scalar = st.one_of(
        value(tuple(values)), st.integers(-(2**70), 2**70), st.floats(), st.booleans(), st.none()
    )
    leaf = st.one_of(
        scalar, st.lists(scalar, max_size=3), st.dictionaries(st.text(max_size=4), scalar, max_size=2)
    )
    action = st.fixed_dictionaries(
        {"action": st.one_of(st.sampled_from(names), scalar)},
        optional={"activity": st.one_of(st.sampled_from(activities), scalar)},
    )
    fields = st.dictionaries(st.one_of(st.sampled_from(values), st.text(max_size=8)), leaf, max_size=5)
    other = st.one_of(
        scalar, st.lists(scalar, max_size=3), st.dictionaries(st.text(max_size=8), scalar, max_size=4)
    )
    not_json = st.one_of(st.sampled_from(["", "{not json", "[", "null", "hb\x00"]), st.text(max_size=40))
    return st.one_of(
        st.tuples(action, fields).map(lambda parts: json.dumps({**parts[1], **parts[0]})),
        other.map(json.dumps),
        not_json,
    )


def answer(ws) -> str:
    """The server's answer to the last message (not a heartbeat, not a broadcast: those carry a
    sequence marker); fails if the socket closed or no answer came within 50 heartbeats."""
    for _ in range(50):
        message = ws.receive_text()
        if message != "hb" and 'id="seq-' not in message:
            return message
    raise AssertionError("no answer within 50 heartbeats")


@pytest.mark.parametrize("route", WS_ROUTES, ids=lambda r: r.id)
def test_every_websocket_message_is_answered_and_the_socket_kept(room, route):
    """Malformed or odd messages on each socket (as the first role it lets in) are answered with
    a toast or the sender's own view, and the socket stays open."""
    known = room.known()
    path = route.path
    for name in route.path_params:
        path = path.replace("{" + name + "}", known[name][0])
    client = next(
        room.clients[role] for role in ("trainee", "facilitator") if opens(room.clients[role], path)
    )
    actions = [(a.id, sorted(room.course.kind_of(a).actions)) for a in room.course.activities]
    names = sorted({n for _, ns in actions for n in ns})
    acting = [a for a, ns in actions if ns]
    values = sorted({v for a in room.course.activities for v in config_values(a)})
    drawn = messages(names, acting, values)
    with client.websocket_connect(path, headers=HEADERS) as ws:
        assert "data-snapshot" in ws.receive_text()

        @DEEP
        @given(st.data())
        def fuzz(data):
            activity = room.course.activity(data.draw(st.sampled_from(acting)))
            room.show(activity, data.draw(st.sampled_from(room.course.kind_of(activity).phases or ("",))))
            text = data.draw(drawn)
            ws.send_text(text)
            if text != "hb":
                try:
                    answer(ws)
                except WebSocketDisconnect as closed:
                    raise AssertionError(f"{path} closed ({closed.code}) after {text[:200]!r}") from None
            assert not room.errors.take()

        fuzz()


def opens(client: TestClient, path: str) -> bool:
    """Whether this client's socket on path is let in (sent its snapshot)."""
    try:
        with client.websocket_connect(path, headers=HEADERS) as ws:
            return "data-snapshot" in ws.receive_text()
    except WebSocketDisconnect:
        return False


# The attack's minimal reproducers, each pinned (they answered 500, or reset the connection).


def move(trainer, session_id: int, participant: str, **form):
    return trainer.post(
        f"/control/{session_id}/participants/{participant}/team", data=form, headers={"HX-Request": "true"}
    )


@pytest.mark.parametrize("team", ["²", "①", "١٢", "１２", str(2**63), str(2**31)])
def test_a_number_field_takes_ascii_digits_within_bounds_only(app, trainer, live, team):
    session_id, code = live
    join(app, code, "甲")
    assert move(trainer, session_id, "1", team=team).status_code == 422
    phone = TestClient(app)
    refused = phone.post(
        "/join", data={"code": code, "name": "乙", "team": team, "csrf_token": csrf_of(phone, f"/j/{code}")}
    )
    assert refused.status_code == 422 and t("error.invalid") in refused.text
    with Session(app.state.engine) as db:
        assert [p.display_name for p in db.exec(select(Participant))] == ["甲"]


@pytest.mark.parametrize(
    "path",
    [
        "/control/{big}",
        "/control/{big}/export/people",
        "/control/{session_id}/participants/{big}/team",
        "/control/{session_id}/teams/{big}/rename",
        "/control/{session_id}/plans/{big}/print",
        "/control/{session_id}/export/participants/{big}.docx",
    ],
)
def test_an_id_past_any_row_is_not_found(trainer, live, path):
    session_id, _code = live
    url = path.format(big=2**63, session_id=session_id)
    if "/team" in path or "/rename" in path:
        response = trainer.post(url, data={"name": "甲队"}, headers={"HX-Request": "true"})
    else:
        response = trainer.get(url)
    assert response.status_code == 404 and t("error.not_found") in response.text


def test_a_file_where_a_field_was_expected_is_refused(app, trainer, live):
    session_id, code = live
    phone = join(app, code, "甲")
    file = ("f.txt", b"2", "text/plain")
    balance = trainer.post(f"/control/{session_id}/teams/balance", files={"count": file})
    assert balance.status_code == 422 and t("error.invalid") in balance.text
    trainer.post(f"/control/{session_id}/go", data={"activity": "u1-warmup-poll"})
    answer = phone.post(
        f"/play/{code}/act/answer", files={"choice": file, "activity": (None, "u1-warmup-poll")}
    )
    assert answer.status_code == 422
    phone.post(f"/play/{code}/plans", data={"customer": "zl", "stage": "trial"})
    save = phone.post(f"/play/{code}/plans/ZL/save", files={"base": ("a", b"1"), "seq": (None, "1")})
    assert save.status_code == 422 and save.json()["message"] == t("error.invalid")


def test_a_row_gone_meanwhile_is_a_conflict_not_a_crash(app, trainer, live, monkeypatch):
    """A write naming a row another request deleted a moment ago fails its foreign key: told."""
    session_id, code = live
    join(app, code, "甲")
    monkeypatch.setattr(teams, "_owned", lambda db, session_id, team_id: None)  # the check passed...
    response = move(trainer, session_id, "1", team="999")  # ...and the team went before the write
    assert response.status_code == 409 and t("error.conflict") in response.text


def test_a_nul_character_is_refused_on_either_database(app, client, live):
    """PostgreSQL takes no NUL in any text, even to look it up; SQLite finds nothing."""
    _session_id, code = live
    phone = join(app, code, "甲")
    assert phone.get(f"/play/{code}/plans/%00/print").status_code in (404, 422)
    token = csrf_of(client, "/login")
    refused = client.post("/login", data={"username": "\x00", "password": "x", "csrf_token": token})
    assert refused.status_code in (401, 422)


def test_many_extra_fields_are_refused_in_the_persons_language(trainer, live):
    session_id, _code = live
    fields = {"count": "2", **{f"f{i}": "v" for i in range(1100)}}
    response = trainer.post(f"/control/{session_id}/teams", data=fields, headers={"HX-Request": "true"})
    assert response.status_code == 400 and t("error.bad_request") in response.text


def test_a_position_report_sent_as_a_form_is_refused(trainer, live):
    session_id, _code = live
    token = trainer.headers.pop("X-CSRF-Token")  # the token in the form, read by the CSRF check
    response = trainer.post(
        f"/control/{session_id}/case/u3-video-case/position", data={"csrf_token": token, "rev": "1"}
    )
    assert response.status_code == 415


def test_a_login_redirect_carries_any_path(client):
    response = client.get("/control/" + quote("甲²\u0085"), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=" + quote("/control/甲²\u0085", safe="")


def test_a_refusal_before_the_body_was_read_is_answered_whole(app):
    """Over a real connection that closes after the answer (Connection: close): the server
    reads the rest of a refused body first, so the client gets the answer, not a reset."""
    with serving(app) as port, socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        body = b"name=" + b"a" * 2_000_000  # refused (403: no CSRF token) before it is read
        conn.sendall(
            b"POST /join HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body)
        )
        conn.sendall(body)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 403") and t("error.csrf").encode() in answer


@contextmanager
def serving(app) -> Iterator[int]:
    """The app behind uvicorn in a thread, on a free port of the loopback: yields the port."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]})
    thread.start()
    try:
        deadline = time.monotonic() + STARTING
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        yield listening.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(10)
        listening.close()
