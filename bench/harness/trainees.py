"""Trainees joining over HTTP, as a phone does: GET /j/{code}, then POST /join with its CSRF token.

One httpx client serves all of a worker's trainees, so its cookie jar is switched off and each
trainee carries their own cookies (the session cookie and the seat cookie `kam_p{id}`).
"""

import asyncio
import re
import time
from dataclasses import dataclass
from http.cookiejar import CookieJar

import httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class NoCookies(CookieJar):
    """A jar that keeps nothing: one trainee's cookies must never reach another's requests."""

    def extract_cookies(self, response, request) -> None:
        pass


@dataclass(frozen=True)
class Trainee:
    name: str
    cookie_header: str  # what their browser would send back
    csrf_token: str  # from the join page; htmx sends it as X-CSRF-Token


class JoinFailed(Exception):
    pass


async def join(client: httpx.AsyncClient, code: str, name: str) -> tuple[Trainee, float]:
    """Join one trainee; returns them and the time both requests took, in ms."""
    started = time.perf_counter()
    page = await client.get(f"/j/{code}")
    token = CSRF.search(page.text)
    if page.status_code != 200 or token is None:
        raise JoinFailed(f"GET /j/{code}: HTTP {page.status_code}, csrf token: {bool(token)}")
    cookies = dict(page.cookies)
    response = await client.post(
        "/join",
        data={"code": code, "name": name, "csrf_token": token.group(1)},
        headers={"Cookie": _cookie_header(cookies)},
    )
    if response.status_code != 303:
        raise JoinFailed(f"POST /join as {name!r}: HTTP {response.status_code}")
    cookies.update(response.cookies)
    return Trainee(name, _cookie_header(cookies), token.group(1)), (time.perf_counter() - started) * 1000


async def join_all(
    base_url: str, code: str, names: list[str], concurrency: int, timeout: float
) -> tuple[list[Trainee], dict]:
    """Join everyone, `concurrency` at a time; returns the trainees and the figures."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(
        base_url=base_url, cookies=NoCookies(), timeout=timeout, limits=limits, trust_env=False
    ) as client:

        async def one(name: str):
            async with gate:
                try:
                    return await join(client, code, name)
                except (JoinFailed, httpx.HTTPError) as error:
                    return error

        outcomes = await asyncio.gather(*(one(name) for name in names))
    joined = [outcome for outcome in outcomes if isinstance(outcome, tuple)]
    errors = [repr(outcome) for outcome in outcomes if not isinstance(outcome, tuple)]
    return [trainee for trainee, _ in joined], {
        "latencies_ms": [ms for _, ms in joined],
        "failures": len(errors),
        "errors": errors[:5],
    }


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())
