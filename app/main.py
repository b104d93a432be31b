"""The app factory: create_app(settings) wires the database, the hub and the routes."""

import asyncio
import gc
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from sqlalchemy import text
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app import migrations
from app.assets import Assets
from app.auth import routes as auth_routes
from app.auth.deps import LoginRequired
from app.bodies import ReadToEnd
from app.config import Settings
from app.course import routes as course_routes
from app.course.loader import load_courses
from app.course.models import Course
from app.db import make_engine
from app.errors import ServiceError
from app.exports import routes as export_routes
from app.kinds import KINDS
from app.live import routes_control, routes_play, ws
from app.live.backends import make_hub, make_limiter, make_presence
from app.live.hub import HubUnavailable
from app.live.presence import Presence
from app.live.publisher import Publisher
from app.modules.contract import Kinds
from app.ratelimit import Backoff
from app.security import SecurityHeaders
from app.templating import APP_DIR, make_templates
from app.web import is_htmx, page


def create_app(
    settings: Settings | None = None, kinds: Kinds = KINDS, courses: dict[str, Course] | None = None
) -> FastAPI:
    """The app, running the activity kinds of `kinds` (app/kinds.py unless a test adds its own)
    on `courses`, or on the courses of the settings' content folder, loaded when it starts."""
    settings = settings or Settings()
    app = FastAPI(
        title="大客户管理 Workshop",
        lifespan=_lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.environment == "development" else None,
    )
    app.state.settings, app.state.kinds, app.state.courses = settings, kinds, courses
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.resolved_secret(),
        session_cookie="kam_session",
        same_site="lax",
        https_only=settings.secure_cookies,
        max_age=14 * 24 * 3600,
    )
    app.add_middleware(SecurityHeaders, https=settings.secure_cookies)
    app.add_middleware(ReadToEnd)  # an early refusal never resets the connection
    if settings.trusted_proxies:  # last added, so first to run: every part sees the client's address
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.state.assets = assets = Assets.of(APP_DIR / "static", kinds)
    for prefix in sorted(assets.folders, key=len, reverse=True):  # /static/kinds/<name>/ before /static
        app.mount(prefix, assets.files(prefix))
    routers = [auth_routes.router, routes_control.router, routes_play.router, ws.router]
    routers += [course_routes.router, export_routes.router, *(k.router for k in kinds if k.router)]
    for router in routers:
        app.include_router(router)
    app.add_api_route("/healthz", healthz, methods=["GET"])
    app.add_api_route("/favicon.ico", favicon, methods=["GET"], include_in_schema=False)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(IntegrityError, _conflict)
    app.add_exception_handler(DataError, _unstorable)
    app.add_exception_handler(HubUnavailable, _hub_unavailable)
    return app


def worker_app() -> FastAPI:
    """One process of `kam serve --workers N`: its settings from the environment, its content
    loaded here (checked already by the command that started it)."""
    return create_app(Settings())


@asynccontextmanager
async def _lifespan(app: FastAPI):
    settings: Settings = app.state.settings
    if app.state.courses is None:
        app.state.courses = load_courses(settings.content_dir, app.state.kinds)
    app.state.engine = engine = make_engine(settings.database_url)
    migrations.upgrade(engine)
    app.state.templates = make_templates(app.state.kinds, app.state.assets)
    app.state.hub = hub = make_hub(settings.hub_url, settings.ws_queue_size, settings.hub_prefix)
    app.state.presence = make_presence(settings.hub_url, settings.heartbeat_seconds, settings.hub_prefix)
    app.state.join_limiter = make_limiter(settings, "join", settings.join_rate_per_minute)
    app.state.login_limiter = make_limiter(settings, "login", settings.login_rate_per_minute)
    app.state.password_backoff = Backoff()
    # Wrong rejoin codes a session takes a minute: a class's typos, not a guesser's millions.
    app.state.rejoin_misses = make_limiter(settings, "rejoin", 30)
    app.state.publisher = publisher = Publisher(
        hub,
        engine,
        app.state.courses,
        app.state.templates,
        app.state.presence,
        settings.public_url,
    )
    await hub.connect()
    publisher.start()
    publisher.resume_timers()
    ticker = asyncio.create_task(_heartbeats(hub, app.state.presence, settings.heartbeat_seconds))
    _tune_garbage_collector()
    yield
    ticker.cancel()
    await hub.disconnect()  # open websockets close with 1012 and reconnect to the next process
    await publisher.drain()
    engine.dispose()


def _tune_garbage_collector() -> None:
    """With a thousand open sockets a full collection stalls every view for 200-400 ms
    (bench/README.md): keep what startup made out of it and collect young objects less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


async def _heartbeats(hub, presence: Presence, seconds: float) -> None:
    """Every view hears from the server at least this often, so a phone notices a dead link;
    and the workers' shared roster hears that this one's trainees are still here."""
    while True:
        await asyncio.sleep(seconds)
        hub.heartbeat()
        await presence.renew()


# The health check has a thread of its own: it answers while every request thread is busy.
_HEALTH_THREAD = ThreadPoolExecutor(1, thread_name_prefix="healthz")


async def healthz(request: Request) -> JSONResponse:
    """Up, and the database answers; with the live figures a load test or a monitor reads."""
    await asyncio.get_running_loop().run_in_executor(_HEALTH_THREAD, _ping, request.app.state.engine)
    presence: Presence = request.app.state.presence
    return JSONResponse({"status": "ok", "sockets": presence.sockets, "vanished": presence.vanished})


async def favicon() -> FileResponse:
    """Anyone: what a browser asks for on every page (and the base template links as SVG)."""
    return FileResponse(APP_DIR / "static" / "img" / "favicon.ico", media_type="image/x-icon")


def _ping(engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


async def _login_required(request: Request, _exc: LoginRequired):
    target = f"/login?next={quote(request.url.path, safe='')}"
    if is_htmx(request):
        return JSONResponse({}, status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _service_error(request: Request, exc: ServiceError):
    return _error(request, exc.key, exc.status, exc.values)


async def _http_error(request: Request, exc: HTTPException):
    """FastAPI's, or Starlette's own (no such route, a form with too many fields or too large a
    part), told in the person's language."""
    key = (
        exc.detail
        if isinstance(exc.detail, str) and exc.detail.startswith("error.")
        else {
            403: "error.forbidden",
            404: "error.not_found",
            405: "error.bad_request",
            413: "error.too_large",
        }.get(exc.status_code, "error.bad_request")
    )
    return _error(request, key, exc.status_code, {})


async def _invalid(request: Request, exc: RequestValidationError):
    """A parameter that cannot be what the route takes (app.fields): an id in the path that no
    row can have is not found; a field that is missing, out of bounds or a file is invalid."""
    if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
        return _error(request, "error.not_found", 404, {})
    return _error(request, "error.invalid", 422, {})


async def _conflict(request: Request, _exc: IntegrityError):
    """The database refused a write: a row it names is gone (deleted meanwhile), or another
    request wrote the same one first. The transaction is rolled back with its session."""
    return _error(request, "error.conflict", 409, {})


async def _unstorable(request: Request, _exc: DataError):
    """A value the database cannot take, even to look it up (PostgreSQL refuses a NUL character
    in any text): invalid, as a field out of bounds is."""
    return _error(request, "error.invalid", 422, {})


async def _hub_unavailable(request: Request, _exc: HubUnavailable):
    """Redis (several workers) is away for a moment: what was written stays in the database."""
    return _error(request, "error.busy", 503, {})


def _error(request: Request, key: str, status: int, values: dict):
    if is_htmx(request):
        return page(request, "_toast.html", status_code=status, key=key, values=values)
    return page(request, "error.html", status_code=status, key=key, values=values)
