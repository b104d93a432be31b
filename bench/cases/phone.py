"""In a worker: each trainee's phone on a case, as case.js behaves, over its play websocket.

- A tap is `{"action": "tag", "activity", "tag", "comment", "seen"}` sent on the socket, where
  `seen` is the line the phone shows (`data-at` of `#case-clock` in the last room's stage it got);
  an undo is `{"action": "untag", "activity", "n"}` with the serial of the tag's `data-case-undo`
  button. The server answers every message on that socket, in order (ws.py reads one message
  at a time), with the trainee's own part (`play-own`: their tags) or a toast, and sends no
  sequence marker with an answer: a message without `id="seq-` is the answer to the oldest
  message still waiting. The line on screen comes with the room's stage (`play-stage`).
- Every trainee taps a random tag at random moments (exponential gaps, mean `every` seconds),
  some with a short comment; some taps are followed, once their answer shows the new tag and
  after a moment's thought, by the undo of that tag. A trainee stops tapping at `max_kept`
  tags (under the case's max_tags).
- Each phone notes the first time any message showed each line (the facilitator's "next
  line"), and messages that showed an earlier line than the phone showed before.
- The phone keeps what it expects the server to keep: every tap sent minus every tag undone,
  less the taps the app keeps once (the same tag, on the same line, without a comment, again:
  app/modules/case/tags.py). check.py compares that with the database.

Times are time.time(), shared by every process on one machine.
"""

import asyncio
import contextlib
import html
import json
import random
import re
import time
from collections import deque
from dataclasses import dataclass, field

from websockets.exceptions import ConnectionClosed

from bench.harness.answering import http_client, sample_healthz
from bench.harness.links import Link, Links

CLOCK = re.compile(r'id="case-clock"[^>]*?data-at="([0-9.]+)"')
MINE = re.compile(r'<ul class="case-mine">(.*?)</ul>', re.S)
ITEM = re.compile(r"<li[^>]*>(.*?)</li>", re.S)
UNDO = re.compile(r'data-case-undo="(\d+)"')
LABEL = re.compile(r"<span>([^<]*)</span></span>")  # the tag's label, after its style icon
SAID = re.compile(r'<span class="case-said">([^<]*)</span>')
WHERE = re.compile(r'<span class="case-at">\D*(\d+)\D*</span>')
TOAST_TEXT = re.compile(r'id="toast"[^>]*>([^<]*)<')
STAGE, OWN, TOAST, SEQ = 'id="play-stage"', 'id="play-own"', 'id="toast"', 'id="seq-'


def my_tags(text: str, labels: dict[str, str]) -> list[list] | None:
    """The trainee's tags their own part lists, newest first: [serial, tag id, comment, line]
    (None when the view lists none)."""
    found = MINE.search(text)
    if found is None:
        return None
    items = []
    for item in ITEM.findall(found.group(1)):
        serial, label = UNDO.search(item), LABEL.search(item)
        said, where = SAID.search(item), WHERE.search(item)
        items.append(
            [
                int(serial.group(1)) if serial else None,
                labels.get(html.unescape(label.group(1)), "?") if label else None,
                html.unescape(said.group(1)) if said else "",
                int(where.group(1)) - 1 if where else None,
            ]
        )
    return items


@dataclass
class Waiting:
    record: dict
    answered: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Phone:
    link: Link
    name: str
    labels: dict[str, str]  # label shown -> tag id
    activity: str
    records: list[dict]
    line: int = 0  # the line the phone shows now
    first_seen: dict[int, float] = field(default_factory=dict)  # line -> time first shown
    went_back: list[list] = field(default_factory=list)  # see _show_line
    behind: list | None = None  # the last of went_back, until the phone shows that line again
    waiting: deque = field(default_factory=deque)  # messages sent and not answered, in order
    expected: list[dict] = field(default_factory=list)  # tags the server should keep
    doubles: list = field(default_factory=list)  # [tag, line] of every double tap sent
    stray_answers: int = 0  # answers with nothing waiting (none expected)
    shown: list | None = None  # the tags the last own part listed
    last_answer: list = field(default_factory=list)  # the tags the last answer listed
    full: bool = False  # stopped tapping at max_kept
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def on_message(self, text: str, now: float) -> None:
        answer = SEQ not in text
        waiting = None
        if answer and self.waiting:
            waiting = self.waiting.popleft()
        if STAGE in text:
            clock = CLOCK.search(text)
            if clock:
                self._show_line(int(float(clock.group(1))), now, answer, waiting)
        if OWN in text:
            self.shown = my_tags(text, self.labels) or []
        if not answer:
            return
        if waiting is None:
            self.stray_answers += 1
            return
        record = waiting.record
        record["answer"] = now
        record["ms"] = round((now - record["sent"]) * 1000, 1)
        if TOAST in text:
            found = TOAST_TEXT.search(text)
            record.update(outcome="toast", toast=html.unescape(found.group(1)) if found else text[:120])
            if record["kind"] == "tag":  # refused, and the phone says so: not expected stored
                self._forget(record["entry"])
        elif OWN in text:
            before, now_shown = self.last_answer, self.shown
            self.last_answer = now_shown
            record.update(outcome="own", tags=len(now_shown), newest=now_shown[0] if now_shown else None)
            if record["kind"] == "tag":
                self._check_tap(record, before, now_shown)
            else:
                record["gone"] = [item for item in before if item[0] != record["n"]] == now_shown
        else:
            record.update(outcome="other", text=text[:120])
        waiting.answered.set()

    def _show_line(self, line: int, now: float, answer: bool, waiting: "Waiting | None") -> None:
        """The phone shows `line` now. Going back (an answer rendered before the facilitator's
        "next line" that arrives after its update) is noted, with the send time of the message
        answered, until a message shows the line again (the last item: seconds, or None)."""
        if line < self.line:
            self.went_back.append(
                [
                    now,
                    self.line,
                    line,
                    "answer" if answer else "update",
                    waiting.record["sent"] if waiting else None,
                    None,
                ]
            )
            self.behind = self.went_back[-1]
        elif self.behind is not None and line >= self.behind[1]:
            self.behind[5] = round(now - self.behind[0], 3)
            self.behind = None
        self.line = line
        self.first_seen.setdefault(line, now)

    def _check_tap(self, record: dict, before: list, now: list) -> None:
        """Does the answer show the tap? Only this trainee's own messages change their tags,
        one at a time, so the answer's list is the previous answer's list plus the new tag,
        newest first; or, for a double tap, the previous list unchanged, with that tag on that
        line already. A tap that reached the server over two lines late is filed at the line
        the case is on by then (tags.stamp): the phone expects it there from now on."""
        tag, comment, seen = record["tag"], record["comment"], record["seen"]
        newest = now[0] if now else None
        if newest is not None and now[1:] == before and newest[1:3] == [tag, comment] and newest[3] >= seen:
            entry = record["entry"]
            if record["double"]:  # filed later, where it was no double
                self.doubles.remove([tag, seen])
                self.expected.append(entry)
            record.update(shown=True, n=newest[0], filed_at=newest[3])
            entry.update(n=newest[0], at=newest[3])
            return
        record["shown"] = (
            record["double"] and now == before and any(item[1] == tag and item[3] == seen for item in now)
        )

    def _forget(self, entry: dict) -> None:
        self.expected = [kept for kept in self.expected if kept is not entry]

    async def send(self, message: dict, record: dict) -> Waiting:
        """Send one message; its answer will fill in the record (FIFO, see the module)."""
        waiting = Waiting(record)
        async with self.lock:  # the order sent is the order answered
            record["sent"] = time.time()
            self.records.append(record)
            self.waiting.append(waiting)
            try:
                await self.link.socket.send(json.dumps(message, ensure_ascii=False))
            except ConnectionClosed as error:
                self.waiting.remove(waiting)
                record.update(outcome="closed", error=repr(error))
                waiting.answered.set()
        return waiting

    async def tap(self, tag: str, comment: str, number: int) -> Waiting:
        seen = self.line
        double = not comment and any(t["tag"] == tag and t["at"] == seen for t in self.expected)
        entry = {"tag": tag, "comment": comment, "at": seen, "n": None}
        if double:
            self.doubles.append([tag, seen])
        else:
            self.expected.append(entry)
        record = {
            "name": self.name,
            "kind": "tag",
            "k": number,
            "tag": tag,
            "comment": comment,
            "seen": seen,
            "double": double,
            "entry": entry,
        }
        return await self.send(
            {"action": "tag", "activity": self.activity, "tag": tag, "comment": comment, "seen": seen}, record
        )

    async def undo_later(self, tap: Waiting, think: float, timeout: float) -> None:
        """Undo the tag a tap made, once its answer shows it, after `think` seconds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(tap.answered.wait(), timeout)
        record = tap.record
        if not record.get("shown") or record.get("n") is None:
            record["undo_skipped"] = True  # no new tag to undo (a double tap, an error)
            return
        await asyncio.sleep(think)
        self._forget(record["entry"])
        record["undone"] = True
        await self.send(
            {"action": "untag", "activity": self.activity, "n": record["n"]},
            {"name": self.name, "kind": "untag", "k": record["k"], "n": record["n"]},
        )

    def state(self) -> dict:
        return {
            "name": self.name,
            "first_seen": {str(k): v for k, v in self.first_seen.items()},
            "went_back": self.went_back,
            "expected": [{k: v for k, v in entry.items()} for entry in self.expected],
            "shown": self.shown,
            "doubles": self.doubles,
            "stray_answers": self.stray_answers,
            "full": self.full,
            "closed": self.link.closed,
            "line": self.line,
        }


class Room:
    """This worker's phones on the case."""

    def __init__(self, links: Links, activity: str, labels: dict[str, str]):
        self.links, self.activity, self.labels = links, activity, labels
        self.records: list[dict] = []
        self.phones = {
            link.name: Phone(link, link.name, labels, activity, self.records) for link in links.links
        }
        links.watch = self.on_update
        self.task: asyncio.Task | None = None

    def on_update(self, link: Link, text: str, now: float) -> None:
        phone = self.phones.get(link.name)
        if phone is not None:
            phone.on_message(text, now)

    def begin(self, **kwargs) -> int:
        self.task = asyncio.create_task(self.run(**kwargs))
        return len(self.phones)

    async def run(
        self,
        base_url: str,
        start: float,
        seconds: float,
        every: float,
        tags: list[str],
        comment_share: float,
        undo_share: float,
        max_kept: int,
        answer_timeout: float,
        reference_every: float | None,
        seed: int,
        index: int,
    ) -> dict:
        rng = random.Random(seed * 1000 + index)
        end = start + seconds
        undos: list[asyncio.Task] = []

        async def trainee(phone: Phone, rng: random.Random) -> None:
            at, number = start + rng.expovariate(1 / every), 0
            while at < end:
                await asyncio.sleep(max(at - time.time(), 0))
                if phone.link.closed is not None:
                    return
                if len(phone.expected) >= max_kept:
                    phone.full = True
                    return
                comment = f"{phone.name}-{number} 医生在追问" if rng.random() < comment_share else ""
                tap = await phone.tap(rng.choice(tags), comment, number)
                if rng.random() < undo_share:
                    undos.append(
                        asyncio.create_task(phone.undo_later(tap, rng.uniform(1.0, 3.0), answer_timeout))
                    )
                number += 1
                at += max(0.2, rng.expovariate(1 / every))

        reference = None
        async with http_client(base_url, 2, answer_timeout) as client:
            if reference_every:
                reference = asyncio.create_task(sample_healthz(client, end, reference_every, rng))
            phones = list(self.phones.values())
            await asyncio.gather(*(trainee(phone, random.Random(rng.random())) for phone in phones))
            await asyncio.gather(*undos)
            # every message still waiting gets `answer_timeout` from when it was sent
            while any(phone.waiting for phone in phones):
                oldest = min(w.record["sent"] for phone in phones for w in phone.waiting)
                if time.time() > oldest + answer_timeout:
                    break
                await asyncio.sleep(0.1)
            samples = await reference if reference else []
        for phone in phones:
            for waiting in phone.waiting:
                waiting.record["outcome"] = "unanswered"
        return {"reference": samples}

    async def finish(self, last_line: int, timeout: float) -> dict:
        """Once the tapping is over and the facilitator's last line was sent: wait until every
        phone shows that line (at most `timeout`), then what each phone did and saw."""
        deadline = time.monotonic() + timeout
        found = await asyncio.wait_for(self.task, timeout)
        phones = list(self.phones.values())
        while time.monotonic() < deadline and any(
            phone.line < last_line and phone.link.closed is None for phone in phones
        ):
            await asyncio.sleep(0.1)
        for record in self.records:
            record.pop("entry", None)
        return {
            "records": self.records,
            "reference": found["reference"],
            "phones": [phone.state() for phone in phones],
        }
