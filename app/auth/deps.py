"""Who is asking: the logged-in facilitator, if any."""

from typing import Annotated

from fastapi import Depends, Request

from app.db import DbSession
from app.models import Facilitator


class LoginRequired(Exception):
    """Raised for facilitator-only pages; answered with a redirect to the login page."""


def current_facilitator(request: Request, db: DbSession) -> Facilitator | None:
    facilitator_id = request.session.get("facilitator_id")
    return db.get(Facilitator, facilitator_id) if isinstance(facilitator_id, int) else None


def require_facilitator(request: Request, db: DbSession) -> Facilitator:
    facilitator = current_facilitator(request, db)
    if facilitator is None:
        raise LoginRequired
    return facilitator


FacilitatorDep = Annotated[Facilitator, Depends(require_facilitator)]
