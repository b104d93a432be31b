"""Course media (images of brief cards), served from content/<course>/media/ only."""

import re

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from app.deps import CoursesDep, SettingsDep

router = APIRouter()
MEDIA_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "svg": "image/svg+xml",
    "webp": "image/webp",
}
SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+\.(png|jpg|jpeg|svg|webp)$")


@router.get("/content/{course_id}/media/{name}")
def media(courses: CoursesDep, settings: SettingsDep, course_id: str, name: str):
    match = SAFE_NAME.match(name)
    if course_id not in courses or not match or name.startswith("."):
        raise HTTPException(404)
    path = settings.content_dir / course_id / "media" / name
    if not path.is_file():
        raise HTTPException(404)
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'"}
    return FileResponse(path, media_type=MEDIA_TYPES[match.group(1)], headers=headers)
