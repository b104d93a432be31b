"""Who is asking: the logged-in facilitator, if any."""

from typing import Annotated

from fastapi import Depends, Request

from app.auth import logins
from app.db import DbSession
from app.models import Facilitator


class LoginRequired(Exception):
    """Raised for facilitator-only pages; answered with a redirect to the login page."""


def current_facilitator(request: Request, db: DbSession) -> Facilitator | None:
    return logins.facilitator_of(db, request.session.get("login"))


def require_facilitator(request: Request, db: DbSession) -> Facilitator:
    facilitator = current_facilitator(request, db)
    if facilitator is None:
        raise LoginRequired
    return facilitator


FacilitatorDep = Annotated[Facilitator, Depends(require_facilitator)]
