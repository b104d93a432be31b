"""Who is asking: the logged-in facilitator, if any, and whether they run the session in the path."""

import re
from typing import Annotated

from fastapi import Depends, Request

from app.auth import access, logins
from app.db import DbSession
from app.errors import ServiceError
from app.fields import MAX_INT
from app.models import Facilitator

SESSION_ID = re.compile(r"[0-9]{1,10}")


class LoginRequired(Exception):
    """Raised for facilitator-only pages; answered with a redirect to the login page."""


def current_facilitator(request: Request, db: DbSession) -> Facilitator | None:
    return logins.facilitator_of(db, request.session.get("login"))


def require_facilitator(request: Request, db: DbSession) -> Facilitator:
    """A logged-in facilitator; on a route of one session (a `session_id` in its path), one who
    runs it (see access.py): anyone else gets the 404 of a session that does not exist."""
    facilitator = current_facilitator(request, db)
    if facilitator is None:
        raise LoginRequired
    session_id = request.path_params.get("session_id")
    if session_id is not None and not (
        SESSION_ID.fullmatch(str(session_id))
        and int(session_id) <= MAX_INT
        and access.may_run(db, facilitator, int(session_id))
    ):
        raise ServiceError("error.not_found", status=404)
    # The check's read ends here, so the request holds no connection while it waits (an upload
    # arriving, a turn in the thread pool) or while its work opens a session of its own.
    db.commit()
    return facilitator


FacilitatorDep = Annotated[Facilitator, Depends(require_facilitator)]
