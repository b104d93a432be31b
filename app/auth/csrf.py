"""CSRF protection: a random token in the signed session cookie, echoed by every form.

htmx requests send it in the X-CSRF-Token header (set once on <body hx-headers>); plain forms
send it as the `csrf_token` field.
"""

import secrets

from fastapi import HTTPException, Request

HEADER = "X-CSRF-Token"
FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def verify_csrf(request: Request) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get(FIELD)
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(expected, sent):
        raise HTTPException(status_code=403, detail="error.csrf")
