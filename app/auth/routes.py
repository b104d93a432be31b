"""Log in and out; switch the interface language."""

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from app.auth import accounts
from app.auth.csrf import verify_csrf
from app.db import DbSession
from app.deps import LoginLimiterDep
from app.i18n import LANGUAGE_COOKIE, pick_language
from app.web import client_ip, local_url, page, redirect

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this site only (percent-encoded), else the control page."""
    return (
        local_url(target) if target and target.startswith("/") and not target.startswith("//") else "/control"
    )


@router.get("/login")
def login_form(request: Request, next: str | None = None):
    return page(request, "auth/login.html", next=_safe_next(next))


@router.post("/login", dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    db: DbSession,
    limiter: LoginLimiterDep,
    username: str = Form(max_length=64),
    password: str = Form(max_length=256),
    next: str | None = Form(None),
):
    if not limiter.allow(client_ip(request)):
        return page(
            request, "auth/login.html", status_code=429, next=_safe_next(next), error="auth.error.rate"
        )
    facilitator = accounts.authenticate(db, username, password)
    if facilitator is None:
        return page(
            request,
            "auth/login.html",
            status_code=401,
            next=_safe_next(next),
            error="auth.error.invalid",
            username=username,
        )
    csrf = request.session.get("csrf")
    request.session.clear()  # a fresh session on login
    request.session.update({"facilitator_id": facilitator.id, "csrf": csrf})
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request):
    request.session.pop("facilitator_id", None)
    return RedirectResponse("/login", status_code=303)


@router.post("/lang", dependencies=[Depends(verify_csrf)])
def set_language(request: Request, lang: str = Form(max_length=8), next: str | None = Form(None)):
    response = redirect(request, _safe_next(next) if next else "/")
    response.set_cookie(
        LANGUAGE_COOKIE, pick_language(lang), max_age=365 * 24 * 3600, samesite="lax", httponly=True
    )
    return response


@router.get("/")
def home():
    return RedirectResponse("/join", status_code=303)
