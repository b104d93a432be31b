"""`brief`: a content card — title, Markdown body, optional image, facilitator notes."""

from typing import Annotated

from pydantic import StringConstraints

from app.course.models import Strict, Text
from app.modules.contract import ActivityKind

MediaPath = Annotated[str, StringConstraints(pattern=r"^media/[A-Za-z0-9._-]+\.(png|jpg|jpeg|svg|webp)$")]


class BriefConfig(Strict):
    body: Text
    image: MediaPath | None = None  # a file under the course's media/ folder


class BriefKind(ActivityKind):
    name = "brief"
    config_model = BriefConfig
