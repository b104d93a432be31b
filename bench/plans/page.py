"""A trainee's plan editor page, simulated the way app/static/js/plan.js behaves, in a worker.

- `open_editors`: each trainee begins a plan (`POST /play/{code}/plans`, 303) and opens the
  editor it redirects to, reading what plan.js reads from it: the CSRF token (`data-csrf`) and
  `#plan-data` (the body, the version the text builds on, the guidance's percent).
- `autosave`: every trainee edits their text (plan.py) about every `interval` seconds
  (a random start within the first interval, then ±10 % each time, so the room spreads) until
  `seconds` have passed, then waits until every edit is saved (at most `drain` more seconds).
  Each edit schedules a save 0.8 s later; one save is in flight at a time, of the newest text;
  after a 200 with edits still pending the next save goes 1 s later; after a network error,
  a timeout or a 5xx it is retried after 2, 4, 8, 10 s (or sooner, at the next edit); a 409
  conflict or a 423 lock stops the page, a 4xx with a message waits for the next edit. Every
  save is multipart with `body`, `base`, `device`, `seq` and `csrf_token`, as FormData is.
- Meanwhile one sampler per worker times `GET /healthz`: the server's baseline in the same run.

Each save and each sample opens its own connection, as in harness/answering.py (phones do not share
connections). Times are time.time(), shared by every process on one machine.
"""

import asyncio
import json
import random
import re
import secrets
import time
from dataclasses import dataclass, field

import httpx

from bench.harness.answering import all_done, http_client, sample_healthz
from bench.harness.trainees import Trainee
from bench.plans.plan import text

CSRF = re.compile(r'data-csrf="([^"]+)"')
PLAN_DATA = re.compile(r'<script type="application/json" id="plan-data">(.*?)</script>', re.S)
SAVE_AFTER, RETRY_MIN, RETRY_MAX = 0.8, 1.0, 10.0  # plan.js: SAVE_AFTER_MS, RETRY_MIN_MS, RETRY_MAX_MS
LOCKED_RETRY = 15.0


@dataclass
class Editor:
    """What the editor page gave the script: the trainee, their plan's address and first text."""

    trainee: Trainee
    customer: str
    path: str  # /play/{code}/plans/{customer}/save
    csrf: str
    version: int
    body: dict
    percent: int


async def open_editors(
    base_url: str, code: str, trainees: list[Trainee], concurrency: int, timeout: float
) -> tuple[list[Editor], dict]:
    """Begin one plan per trainee and open its editor; the editors and the figures (as join_all)."""
    gate = asyncio.Semaphore(concurrency)
    async with http_client(base_url, concurrency, timeout) as client:

        async def one(index: int, trainee: Trainee):
            async with gate:
                try:
                    return await _open(client, code, trainee, f"K{index % 14 + 1:03d}")
                except (httpx.HTTPError, RuntimeError, ValueError) as error:
                    return error

        outcomes = await asyncio.gather(*(one(i, t) for i, t in enumerate(trainees)))
    opened = [outcome for outcome in outcomes if isinstance(outcome, tuple)]
    errors = [repr(outcome) for outcome in outcomes if not isinstance(outcome, tuple)]
    return [editor for editor, _ in opened], {
        "latencies_ms": [ms for _, ms in opened],
        "failures": len(errors),
        "errors": errors[:5],
    }


async def _open(
    client: httpx.AsyncClient, code: str, trainee: Trainee, customer: str
) -> tuple[Editor, float]:
    started = time.perf_counter()
    headers = {"Cookie": trainee.cookie_header}
    begun = await client.post(
        f"/play/{code}/plans",
        headers=headers,
        data={"customer": customer, "stage": "trial", "csrf_token": trainee.csrf_token},
    )
    if begun.status_code != 303:
        raise RuntimeError(f"begin a plan: HTTP {begun.status_code} {begun.text[:120]}")
    page = await client.get(begun.headers["location"], headers=headers)
    token, data = CSRF.search(page.text), PLAN_DATA.search(page.text)
    if page.status_code != 200 or not token or not data:
        raise RuntimeError(f"the editor: HTTP {page.status_code}, csrf {bool(token)}, data {bool(data)}")
    found = json.loads(data.group(1))
    editor = Editor(
        trainee,
        customer,
        f"{begun.headers['location']}/save",
        token.group(1),
        found["version"],
        found["body"],
        found["guidance"]["percent"],
    )
    return editor, (time.perf_counter() - started) * 1000


@dataclass
class Page:
    """One editor page's saving state, as plan.js keeps it; changed, schedule, flush, save and
    handle do what plan.js's functions of those names do (its draft in localStorage aside)."""

    editor: Editor
    client: httpx.AsyncClient
    origin: str
    index: int
    steps_every: int
    records: list[dict]
    base: int = 0
    device: str = field(default_factory=lambda: secrets.token_hex(12))
    seq: int = 0
    edits: int = 0
    saved_edits: int = 0
    retry: float = RETRY_MIN
    stopped: str | None = None  # "conflict" | "locked" | "invalid"
    inflight: asyncio.Task | None = None
    timer: asyncio.TimerHandle | None = None
    due: float = 0.0  # when the timer was meant to fire (time.time())
    confirmed: tuple[int, int] = (0, 0)  # (edit, seq) of the newest text answered with a 200
    sent: list[tuple[int, int]] = field(default_factory=list)  # (edit, seq) of every save
    accepted: int = 0  # 200 answers that were not repeats: each made a new version
    tasks: list[asyncio.Task] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.base = self.editor.version

    def body(self, edit: int) -> dict:
        """The text after `edit` edits (0: the editor's first text, as the server gave it)."""
        if edit == 0:
            return self.editor.body
        return text(self.editor.body, self.editor.customer, edit, self.index, self.steps_every)

    def changed(self) -> None:
        self.edits += 1
        if self.stopped == "invalid":
            self.stopped = None
        self.schedule(SAVE_AFTER)

    def schedule(self, delay: float) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.due = time.time() + delay
        self.timer = asyncio.get_running_loop().call_later(delay, self.flush)

    def flush(self) -> None:
        if self.inflight or self.stopped or self.edits == self.saved_edits:
            return
        self.inflight = asyncio.create_task(self.save())
        self.tasks.append(self.inflight)

    async def save(self) -> None:
        edit, self.seq = self.edits, self.seq + 1
        seq = self.seq
        record = {
            "name": self.editor.trainee.name,
            "edit": edit,
            "seq": seq,
            "late_ms": round((time.time() - self.due) * 1000, 1),
        }
        self.records.append(record)
        self.sent.append((edit, seq))
        status, answer = await self.post(self.body(edit), record)
        self.handle(status, answer, (edit, seq), record)
        self.inflight = None
        if self.edits > self.saved_edits and not self.stopped:
            self.schedule(self.retry)

    async def post(self, body: dict, record: dict) -> tuple[int, dict]:
        """The save, as FormData sends it; fills in the record's times, status and size."""
        fields = {
            "body": json.dumps(body, ensure_ascii=False),
            "base": str(self.base),
            "device": self.device,
            "seq": str(self.seq),
            "csrf_token": self.editor.csrf,
        }
        record["bytes"] = len(fields["body"].encode())
        record["sent"] = time.time()
        try:
            response = await self.client.post(
                self.editor.path,
                files={name: (None, value) for name, value in fields.items()},
                headers={"Cookie": self.editor.trainee.cookie_header, "Origin": self.origin},
            )
            status = response.status_code
            try:
                answer = response.json()
            except ValueError:
                answer = {}
            if status != 200:
                record["error"] = response.text[:200]
        except httpx.HTTPError as error:
            status, answer = 0, {}
            record["error"] = type(error).__name__
        record["done"] = time.time()
        record["ms"] = round((record["done"] - record["sent"]) * 1000, 1)
        record["status"] = status
        return status, answer

    def handle(self, status: int, answer: dict, save: tuple[int, int], record: dict) -> None:
        """plan.js's handle(): what the page does with the answer to save (edit, seq)."""
        if status == 200:
            self.base, self.retry, self.stopped = answer["version"], RETRY_MIN, None
            self.saved_edits = max(self.saved_edits, save[0])
            self.confirmed = max(self.confirmed, save)
            self.accepted += not answer["repeat"]
            record.update(
                version=answer["version"], repeat=answer["repeat"], percent=answer["guidance"]["percent"]
            )
        elif status == 409 and answer.get("conflict"):
            self.stopped = "conflict"
        elif status == 423:
            self.stopped = "locked"
            asyncio.get_running_loop().call_later(LOCKED_RETRY, self.unlock)
        elif 400 <= status < 500 and answer.get("message"):
            self.stopped = "invalid"
        else:  # offline(): no answer, a timeout, a 5xx
            self.retry = min(RETRY_MAX, self.retry * 2)

    def unlock(self) -> None:
        self.stopped = None
        self.flush()

    async def type(self, start: float, end: float, interval: float, rng: random.Random) -> None:
        """Edit every `interval` seconds (±10 %) from a random moment in the first one."""
        at = start + rng.uniform(0, interval)
        while at < end:
            await asyncio.sleep(max(at - time.time(), 0))
            self.changed()
            at += interval * rng.uniform(0.9, 1.1)

    def settled(self) -> bool:
        return not self.inflight and (self.stopped is not None or self.edits == self.saved_edits)

    def state(self) -> dict:
        """What the check needs: the last confirmed text and every text sent after it."""
        edit, seq = self.confirmed
        return {
            "name": self.editor.trainee.name,
            "customer": self.editor.customer,
            "device": self.device,
            "edits": self.edits,
            "saved_edits": self.saved_edits,
            "confirmed_seq": seq,
            "confirmed": self.body(edit),
            "first_percent": self.editor.percent,
            "later": [[s, self.body(e)] for e, s in self.sent if s > seq],
            "accepted": self.accepted,
            "saves": len(self.sent),
            "stopped": self.stopped,
        }


async def autosave(
    base_url: str,
    editors: list[Editor],
    index: int,
    start: float,
    seconds: float,
    interval: float,
    steps_every: int,
    drain: float,
    save_timeout: float,
    reference_every: float,
    seed: int,
) -> dict:
    """Run this worker's pages for `seconds`, then let them finish saving (at most `drain`)."""
    rng = random.Random(seed * 1000 + index)
    records: list[dict] = []
    end = start + seconds
    async with http_client(base_url, 2 * len(editors) + 2, save_timeout) as client:
        pages = [
            Page(editor, client, base_url, int(editor.trainee.name[1:]), steps_every, records)
            for editor in editors
        ]
        typing = [asyncio.create_task(page.type(start, end, interval, rng)) for page in pages]
        reference = asyncio.create_task(sample_healthz(client, end, reference_every, rng))
        timed_out = await all_done(typing, end + 30)
        while time.time() < end + drain and not all(page.settled() for page in pages):
            await asyncio.sleep(0.1)
        unsettled = sum(not page.settled() for page in pages)
        for page in pages:
            if page.timer is not None:
                page.timer.cancel()
        timed_out |= await all_done([t for page in pages for t in page.tasks], time.time() + 5)
        samples = await reference
    for record in records:  # cancelled while waiting for the server
        record.setdefault("status", -1)
    return {
        "records": records,
        "reference": samples,
        "pages": [page.state() for page in pages],
        "unsettled": unsettled,
        "timed_out": timed_out,
    }
