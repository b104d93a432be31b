"""Small field types that content models and action payloads share."""

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

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
