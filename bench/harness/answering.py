"""Trainees answering over HTTP, as the phone's htmx forms do, each at their time.

Every post is `POST /play/{code}/act/{action}` with the form fields the page's form carries, the
`HX-Request` and `X-CSRF-Token` headers htmx adds, and the trainee's own cookies. Each post is
sent at its planned wall-clock time (time.time(), shared by all processes on one machine) and
timed on the client: status, response time, and how late the worker managed to send it.

- `answer_all`: a quiz question, one tap per trainee (and maybe a double tap), all at once.
- `answer_in_turn`: a questionnaire, each trainee's posts one after another, every post after
  the reply to the one before (the reply shows the next question).
- `sample_healthz`: GET /healthz now and then, the reference in the same run of the plan and
  case benches.
"""

import asyncio
import random
import time

import httpx

from bench.harness.trainees import NoCookies, Trainee

SAVED = 'class="answer-card saved"'  # the reply (the trainee's own part) shows "answer saved"


def http_client(base_url: str, connections: int, timeout: float) -> httpx.AsyncClient:
    """A new connection for every post, as separate phones have: the client never queues a
    post, and one trainee's post never rides on a connection another trainee's post left idle."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=0)
    return httpx.AsyncClient(
        base_url=base_url, cookies=NoCookies(), timeout=timeout, limits=limits, trust_env=False
    )


async def post_form(
    client: httpx.AsyncClient, path: str, form: dict, trainee: Trainee, record: dict, marker: str | None
) -> None:
    """One post, timed; fills in the record: status, saved (the reply contains `marker`),
    error, sent and done (time.time()) and ms (the response time)."""
    record["sent"] = time.time()
    started = time.perf_counter()
    try:
        response = await client.post(
            path,
            data=form,
            headers={
                "HX-Request": "true",
                "X-CSRF-Token": trainee.csrf_token,
                "Cookie": trainee.cookie_header,
            },
        )
        record.update(status=response.status_code, saved=marker is None or marker in response.text)
        if response.status_code != 200:
            record["error"] = response.text[:200]
    except httpx.HTTPError as error:
        cause = error.__cause__ or error.__context__
        record.update(status=0, saved=False, error=f"{error!r} from {cause!r}" if cause else repr(error))
    record["ms"] = (time.perf_counter() - started) * 1000
    record["done"] = time.time()


async def all_done(tasks: list[asyncio.Task], deadline: float) -> bool:
    """Wait for every task (the list may grow meanwhile) until the deadline, then cancel what
    is left; True if the deadline came first."""
    try:
        async with asyncio.timeout(max(deadline - time.time(), 0)):
            while pending := [task for task in tasks if not task.done()]:
                await asyncio.wait(pending)
    except TimeoutError:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return True
    for task in tasks:  # a bug in the bench, not a failed post: say so
        if task.exception() is not None:
            raise task.exception()
    return False


def _unanswered(records: list[dict]) -> None:
    for record in records:  # cancelled while waiting for the server
        if "status" not in record:
            record.update(status=0, saved=False, error="no reply before the timeout")


async def answer_all(
    base_url: str,
    code: str,
    activity: str,
    question: str,
    trainees: list[Trainee],
    plan: dict[str, dict],
    start: float,
    timeout: float,
) -> dict:
    """Send this worker's taps; plan: name -> {"at": s, "choice": id, "again": s or None}, the
    times in seconds after `start`. Returns one record per tap, and whether the run timed out."""
    taps = [
        (trainee, at, entry["choice"], number)
        for trainee in trainees
        if (entry := plan.get(trainee.name))
        for number, at in enumerate((entry["at"], entry["again"]))
        if at is not None
    ]
    records: list[dict] = []
    async with http_client(base_url, len(taps) + 1, timeout) as client:

        async def tap(trainee: Trainee, at: float, choice: str, number: int) -> None:
            planned = start + at
            await asyncio.sleep(max(planned - time.time(), 0))
            record = {
                "name": trainee.name,
                "tap": number,
                "choice": choice,
                "late_ms": round((time.time() - planned) * 1000, 1),
            }
            records.append(record)
            await post_form(
                client,
                f"/play/{code}/act/answer",
                {"activity": activity, "question": question, "choice": choice},
                trainee,
                record,
                SAVED,
            )

        tasks = [asyncio.create_task(tap(*one)) for one in taps]
        timed_out = await all_done(tasks, max(start, time.time()) + timeout)
    _unanswered(records)
    return {"records": records, "planned": len(taps), "timed_out": timed_out}


async def answer_in_turn(
    base_url: str,
    code: str,
    trainees: list[Trainee],
    plan: dict[str, list[dict]],
    start: float,
    post_timeout: float,
    deadline: float,
) -> dict:
    """Send this worker's trainees' posts, each trainee's in turn. plan: name -> posts, each
    {"action": "answer", "form": {...}, "at": seconds after `start`, "again": seconds after
    it is sent that a double tap (the same form) follows, or None, "marker": what its reply
    must contain}. A post goes at its planned time, but never before the reply to the one
    before; a double tap is not waited for. A trainee stops at their first failed post.
    Returns one record per post sent ("index" in the trainee's list, "tap" 0 or 1 for the
    double), how many were planned, and whether `deadline` (time.time()) came first."""
    mine = [(trainee, posts) for trainee in trainees if (posts := plan.get(trainee.name))]
    records: list[dict] = []
    tasks: list[asyncio.Task] = []
    async with http_client(base_url, 2 * len(mine) + 1, post_timeout) as client:

        async def send(trainee: Trainee, index: int, tap: int, post: dict, planned: float) -> dict:
            record = {
                "name": trainee.name,
                "index": index,
                "tap": tap,
                "late_ms": round((time.time() - planned) * 1000, 1),
            }
            records.append(record)
            await post_form(
                client, f"/play/{code}/act/{post['action']}", post["form"], trainee, record, post["marker"]
            )
            return record

        async def double(trainee: Trainee, index: int, post: dict, first_sent: float) -> None:
            planned = first_sent + post["again"]
            await asyncio.sleep(max(planned - time.time(), 0))
            await send(trainee, index, 1, post, planned)

        async def in_turn(trainee: Trainee, posts: list[dict]) -> None:
            for index, post in enumerate(posts):
                planned = start + post["at"]
                await asyncio.sleep(max(planned - time.time(), 0))
                if post["again"] is not None:
                    tasks.append(asyncio.create_task(double(trainee, index, post, time.time())))
                if (await send(trainee, index, 0, post, planned))["status"] != 200:
                    return

        tasks += [asyncio.create_task(in_turn(trainee, posts)) for trainee, posts in mine]
        timed_out = await all_done(tasks, deadline)
    _unanswered(records)
    planned = sum(1 + (post["again"] is not None) for _, posts in mine for post in posts)
    return {"records": records, "planned": planned, "timed_out": timed_out}


async def sample_healthz(
    client: httpx.AsyncClient, end: float, every: float, rng: random.Random
) -> list[dict]:
    """GET /healthz about every `every` seconds until `end`: the reference latency."""
    samples = []
    while time.time() < end:
        await asyncio.sleep(every * rng.uniform(0.5, 1.5))
        sample = {"sent": time.time()}
        try:
            sample["status"] = (await client.get("/healthz")).status_code
        except httpx.HTTPError as error:
            sample.update(status=0, error=type(error).__name__)
        sample["done"] = time.time()
        sample["ms"] = round((sample["done"] - sample["sent"]) * 1000, 1)
        samples.append(sample)
    return samples
