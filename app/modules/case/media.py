"""A case's video: uploaded from the control page, or a file in the course folder.

An upload is streamed to disk in the session's folder (app.live.storage) with a random name,
never the one it came with; what it is comes from its first bytes (an MP4 or WebM video), not
from its name or the browser's word, and it is served with that type only. One video per case
and session: a new upload replaces the old one, and the facilitator can delete it."""

import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import filetype

from app.errors import ServiceError
from app.live import storage

VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}
SNIFF_BYTES = 8192  # enough of the start of a file to tell what it is
MAX_NAME = 120


@dataclass(frozen=True)
class Video:
    path: Path
    media_type: str
    title: str  # the name to show: the uploaded file's, or the content file's


def clean_name(name: str) -> str:
    """The uploaded file's name, for display only; a name with path parts is refused."""
    name = unicodedata.normalize("NFC", name).strip()
    if not name or len(name) > MAX_NAME:
        raise ServiceError("case.media.bad_name")
    if (
        any(c in name for c in "/\\\0")
        or name in (".", "..")
        or name.startswith(".")
        or any(not c.isprintable() for c in name)
    ):
        raise ServiceError("case.media.bad_name")
    return name


def sniff(head: bytes) -> str | None:
    """The video type of a file from its first bytes, or None if it is not one we play."""
    kind = filetype.guess(head)
    return kind.mime if kind is not None and kind.mime in VIDEO_TYPES else None


def folder(data_dir: Path, session_id: int) -> Path:
    return storage.session_folder(data_dir, session_id, "media")


async def receive(chunks, folder: Path, max_bytes: int) -> tuple[str, str, int]:
    """Stream an upload into `folder`: (stored name, media type, size), or a ServiceError and
    nothing left behind when it is not a video or too large."""
    partial = folder / f".partial-{secrets.token_hex(8)}"
    size, media_type, head = 0, None, b""
    try:
        with partial.open("wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise ServiceError("case.media.too_large", status=413, mb=max_bytes // 2**20)
                if media_type is None:
                    head += chunk
                    if len(head) >= SNIFF_BYTES:
                        media_type = _checked(head)
                out.write(chunk)
        media_type = media_type or _checked(head)
        stored = f"{secrets.token_hex(16)}.{VIDEO_TYPES[media_type]}"
        os.replace(partial, partial.with_name(stored))
        return stored, media_type, size
    finally:
        partial.unlink(missing_ok=True)


def _checked(head: bytes) -> str:
    media_type = sniff(head)
    if media_type is None:
        raise ServiceError("case.media.wrong_type", status=415)
    return media_type


def stored_path(folder: Path, stored: str) -> Path | None:
    """An upload's file, if the name is one we gave and it is still there."""
    name, _, ext = stored.partition(".")
    if len(name) != 32 or not all(c in "0123456789abcdef" for c in name) or ext not in VIDEO_TYPES.values():
        return None
    path = folder / stored
    return path if path.is_file() else None


def delete(folder: Path, stored: str) -> None:
    path = stored_path(folder, stored)
    if path is not None:
        path.unlink(missing_ok=True)


def content_video(course_folder: Path | None, relative: str) -> Video | None:
    """A video shipped in the course folder (checked to stay inside it and to be a video)."""
    if course_folder is None:
        return None
    base = course_folder.resolve()
    path = (base / relative).resolve()
    if base not in path.parents or not path.is_file():
        return None
    with path.open("rb") as f:
        media_type = sniff(f.read(SNIFF_BYTES))
    return Video(path, media_type, path.name) if media_type else None
