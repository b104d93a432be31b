"""Log in and out, a facilitator's account; switch the interface language."""

import math

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from app.auth import accounts, logins
from app.auth.csrf import verify_csrf
from app.auth.deps import FacilitatorDep
from app.db import DbSession
from app.deps import LoginLimiterDep, PasswordBackoffDep
from app.errors import ServiceError
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
    backoff: PasswordBackoffDep,
    username: str = Form(max_length=64),
    password: str = Form(max_length=256),
    next: str | None = Form(None),
):
    """Anyone: limited per address, and slowed per account after failed passwords."""

    def refused(status: int, error: str, **values):
        form = {"next": _safe_next(next), "username": username}
        return page(request, "auth/login.html", status, error=error, error_values=values, **form)

    if not limiter.allow(client_ip(request)):
        return refused(429, "auth.error.rate")
    try:
        facilitator = _checked(db, backoff, username, password)
    except ServiceError as slowed:
        return refused(slowed.status, slowed.key, **slowed.values)
    if facilitator is None:
        return refused(401, "auth.error.invalid")
    csrf = request.session.get("csrf")
    request.session.clear()  # a fresh session on login
    request.session.update({"login": logins.open_login(db, facilitator), "csrf": csrf})
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request, db: DbSession):
    """Anyone may log out (a login that ended already is no change)."""
    logins.end(db, request.session.pop("login", None))
    return RedirectResponse("/login", status_code=303)


@router.get("/account")
def account(request: Request, facilitator: FacilitatorDep):
    """Facilitator: their password, and ending every login."""
    return page(request, "auth/account.html", facilitator=facilitator)


@router.post("/account/password", dependencies=[Depends(verify_csrf)])
def change_password(
    request: Request,
    db: DbSession,
    facilitator: FacilitatorDep,
    backoff: PasswordBackoffDep,
    current: str = Form(max_length=256),
    new: str = Form(max_length=256),
):
    """Facilitator: a new password ends every login, a copy of this browser's cookie among
    them; this browser goes on with a new one. Wrong current passwords slow down like logins."""
    try:
        if _checked(db, backoff, facilitator.username, current) is None:
            return _account(request, facilitator, 400, error="auth.error.current_password")
    except ServiceError as slowed:
        return _account(request, facilitator, slowed.status, error=slowed.key, error_values=slowed.values)
    try:
        accounts.set_password(db, facilitator.username, new)
    except ServiceError as error:  # too short
        return _account(request, facilitator, error.status, error=error.key, error_values=error.values)
    request.session["login"] = logins.open_login(db, facilitator)
    return _account(request, facilitator, 200, done="auth.password_changed")


@router.post("/account/logout-everywhere", dependencies=[Depends(verify_csrf)])
def logout_everywhere(request: Request, db: DbSession, facilitator: FacilitatorDep):
    """Facilitator: end every login of this account, this browser's too."""
    logins.end_all(db, facilitator.id)
    request.session.pop("login", None)
    return RedirectResponse("/login", status_code=303)


def _checked(db, backoff, username: str, password: str):
    """The account if the password is its own, else None; ServiceError while wrong passwords
    slow the account down (see ratelimit.Backoff)."""
    account = username.strip()
    if wait := backoff.wait(account):
        raise ServiceError("auth.error.slow_down", status=429, seconds=math.ceil(wait))
    facilitator = accounts.authenticate(db, account, password)
    (backoff.failed if facilitator is None else backoff.succeeded)(account)
    return facilitator


def _account(request: Request, facilitator, status: int, **message):
    return page(request, "auth/account.html", status_code=status, facilitator=facilitator, **message)


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
