"""Small field types that content models, action payloads and routes' parameters share.

Every number that comes from outside (a path, a form, a websocket message) is one of the bounded
integers below, so that none reaches the database larger than its columns: pydantic takes ASCII
digits only (never "²" or "①", which str.isdigit() accepts), and FastAPI refuses the rest with a
422 that app.main answers in the person's language."""

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

MAX_INT = 2**31 - 1  # PostgreSQL's INTEGER, the narrowest integer column of either database

# A row's id, as the database gave it (a session, team, participant, plan...).
RowId = Annotated[int, Field(ge=1, le=MAX_INT)]
# A count or a version: how many, which revision, which line.
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
# A number the content gives the range of (a score): checked against it by the kind.
Number = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]

# An id inside a course file: an option, an item, a cue, a tag, a scene.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]
ShortText = Annotated[str, StringConstraints(max_length=32)]


def _listed(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def one_or_many(max_length: int, min_length: int = 0) -> Any:
    """A list of short texts from a form, which sends one checked box as a string and several as a
    list: both are accepted."""
    return Annotated[
        list[ShortText], BeforeValidator(_listed), Field(min_length=min_length, max_length=max_length)
    ]


class NoPayload(BaseModel):
    """The payload of an action that is only the press of a button."""
