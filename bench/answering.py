"""Trainees answering a quiz question over HTTP, as the phone's htmx form does, each at their time.

Every tap is `POST /play/{code}/act/answer` with the form fields the page's form carries, the
`HX-Request` and `X-CSRF-Token` headers htmx adds, and the trainee's own cookies. Each tap is
sent at its planned wall-clock time (time.time(), shared by all processes on one machine) and
timed on the client: status, response time, and how late the worker managed to send it.
"""

import asyncio
import time

import httpx
from trainees import NoCookies, Trainee

SAVED = 'class="saved"'  # the reply (the trainee's own view) shows "✓ answered"


async def answer_all(base_url: str, code: str, activity: str, question: str,
                     trainees: list[Trainee], plan: dict[str, dict], start: float,
                     timeout: float) -> dict:
    """Send this worker's taps; plan: name -> {"at": s, "choice": id, "again": s or None}, the
    times in seconds after `start`. Returns one record per tap, and whether the run timed out."""
    taps = [(trainee, at, entry["choice"], number)
            for trainee in trainees if (entry := plan.get(trainee.name))
            for number, at in enumerate((entry["at"], entry["again"])) if at is not None]
    # a new connection for every tap, as separate phones have: the client never queues a tap,
    # and one trainee's tap never rides on a connection another trainee's tap left idle
    limits = httpx.Limits(max_connections=len(taps) + 1, max_keepalive_connections=0)
    records: list[dict] = []
    async with httpx.AsyncClient(base_url=base_url, cookies=NoCookies(), timeout=timeout,
                                 limits=limits, trust_env=False) as client:

        async def tap(trainee: Trainee, at: float, choice: str, number: int) -> None:
            planned = start + at
            await asyncio.sleep(max(planned - time.time(), 0))
            record = {"name": trainee.name, "tap": number, "choice": choice,
                      "late_ms": round((time.time() - planned) * 1000, 1)}
            records.append(record)
            started = time.perf_counter()
            try:
                response = await client.post(
                    f"/play/{code}/act/answer",
                    data={"activity": activity, "question": question, "choice": choice},
                    headers={"HX-Request": "true", "X-CSRF-Token": trainee.csrf_token,
                             "Cookie": trainee.cookie_header})
                record.update(status=response.status_code, saved=SAVED in response.text)
                if response.status_code != 200:
                    record["error"] = response.text[:200]
            except httpx.HTTPError as error:
                cause = error.__cause__ or error.__context__
                record.update(status=0, saved=False,
                              error=f"{error!r} from {cause!r}" if cause else repr(error))
            record["ms"] = (time.perf_counter() - started) * 1000
            record["done"] = time.time()

        tasks = [asyncio.create_task(tap(*one)) for one in taps]
        timed_out = False
        try:
            async with asyncio.timeout(max(start - time.time(), 0) + timeout):
                await asyncio.gather(*tasks)
        except TimeoutError:
            timed_out = True
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    for record in records:  # cancelled while waiting for the server
        if "status" not in record:
            record.update(status=0, saved=False, error="no reply before the timeout")
    return {"records": records, "planned": len(taps), "timed_out": timed_out}
