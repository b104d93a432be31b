"""CSRF protection: a random token in the signed session cookie, echoed by every form.

htmx requests send it in the X-CSRF-Token header (set once on <body hx-headers>); plain forms
send it as the `csrf_token` field.
"""

import secrets
from collections.abc import AsyncIterator

from fastapi import HTTPException, Request

HEADER = "X-CSRF-Token"
FIELD = "csrf_token"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def verify_csrf(request: Request) -> AsyncIterator[None]:
    """Refuse a state-changing request without this browser's token; once the route has
    answered, close the files of any form that was read (by this check or by the route)."""
    try:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            expected = request.session.get("csrf")
            sent = request.headers.get(HEADER)
            if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
                sent = (await request.form()).get(FIELD)
            if not expected or not isinstance(sent, str) or not secrets.compare_digest(expected, sent):
                raise HTTPException(status_code=403, detail="error.csrf")
        yield
    finally:
        await request.close()
