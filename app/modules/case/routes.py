"""A case's video on the wire: the facilitator uploads or deletes it, the projector plays it (with
range requests, so it can seek) and reports where its player is."""

from urllib.parse import unquote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.auth.csrf import verify_csrf
from app.auth.deps import require_facilitator
from app.config import Settings
from app.course.models import Course
from app.db import DbSession, with_db
from app.deps import CoursesDep, PublisherDep, SettingsDep
from app.errors import ServiceError
from app.fields import Count, RowId
from app.i18n import translate
from app.live import sessions
from app.live.publisher import Publisher
from app.modules.case import media
from app.modules.case.config import CaseConfig
from app.modules.case.playhead import PlayHead
from app.web import bounded_body, is_form, language

router = APIRouter(dependencies=[Depends(require_facilitator), Depends(verify_csrf)])
REPORT_BYTES = 1024  # a player's report is a few numbers


class Report(BaseModel):
    rev: Count
    at: float = Field(ge=0, le=6 * 3600)
    playing: bool
    duration: float | None = Field(default=None, ge=0, le=6 * 3600)


def _case(db: Session, courses: dict[str, Course], session_id: int, activity_id: str):
    session = sessions.get(db, session_id)
    course = courses[session.course_id]
    activity = course.activity(activity_id)
    if activity is None or activity.kind != "case" or activity.config.video is None:
        raise ServiceError("error.not_found", status=404)
    return session, course, activity


def _refused(request: Request, error: ServiceError) -> JSONResponse:
    return JSONResponse(
        {"error": translate(language(request), error.key, **error.values)}, status_code=error.status
    )


@router.post("/control/{session_id}/case/{activity_id}/media")
async def upload(
    request: Request, session_id: RowId, activity_id: str, settings: SettingsDep, publisher: PublisherDep
):
    """The request body is the file itself; its name comes in X-File-Name (URL-encoded)."""
    try:
        if is_form(request):  # the body is the file itself, never a form
            raise ServiceError("case.media.wrong_type", status=415)
        title = media.clean_name(unquote(request.headers.get("x-file-name", "")))
        _session, _course, activity = await run_in_threadpool(
            with_db, request, lambda db: _case(db, publisher.courses, session_id, activity_id)
        )
        if activity.config.video.file is not None:
            raise ServiceError("case.media.in_content", status=409)
        stored, media_type, size = await media.receive(
            request.stream(), media.folder(settings.data_dir, session_id), settings.media_max_mb * 2**20
        )
    except ServiceError as error:
        return _refused(request, error)
    video = {"stored": stored, "type": media_type, "title": title, "size": size}
    attach = (publisher, settings, session_id, activity_id, video)
    await run_in_threadpool(with_db, request, lambda db: _attach(db, *attach))
    return JSONResponse({"title": title, "size": size, "type": media_type})


def _attach(
    db: Session,
    publisher: Publisher,
    settings: Settings,
    session_id: int,
    activity_id: str,
    video: dict | None,
) -> None:
    """Make this the case's video (None: no video), deleting the file it replaces; the clock
    starts again, as it is a different film."""
    session, course, activity = _case(db, publisher.courses, session_id, activity_id)
    state = sessions.activity_state(db, session.id, activity.id)
    data = dict(state.data) if state else {}
    old = data.get("media")
    clock = PlayHead.of(data)
    data.update(media=video, clock=PlayHead(rev=clock.rev + 1).stored(), focus=None)
    sessions.save_activity_data(db, session, course, activity.id, data)
    if old:
        media.delete(media.folder(settings.data_dir, session.id), old["stored"])
    publisher.refresh(session.id, stage=True)


@router.post("/control/{session_id}/case/{activity_id}/media/delete")
def delete(
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    publisher: PublisherDep,
    session_id: RowId,
    activity_id: str,
):
    try:
        _attach(db, publisher, settings, session_id, activity_id, None)
    except ServiceError as error:
        return _refused(request, error)
    return Response(status_code=204)


@router.get("/control/{session_id}/case/{activity_id}/media")
def video(db: DbSession, courses: CoursesDep, settings: SettingsDep, session_id: RowId, activity_id: str):
    """The case's video, as the type its first bytes say, in ranges as the player asks."""
    found = _video_of(db, courses, settings, session_id, activity_id)
    if found is None:
        raise ServiceError("error.not_found", status=404)
    return FileResponse(
        found.path, media_type=found.media_type, headers={"Cache-Control": "private, max-age=3600"}
    )


def _video_of(
    db: Session, courses: dict[str, Course], settings: Settings, session_id: int, activity_id: str
) -> media.Video | None:
    """The course's own video, or the one uploaded in this session."""
    session, course, activity = _case(db, courses, session_id, activity_id)
    config: CaseConfig = activity.config
    if config.video.file is not None:
        return media.content_video(course.folder, config.video.file)
    state = sessions.activity_state(db, session.id, activity.id)
    found = (state.data if state else {}).get("media")
    uploads = media.folder(settings.data_dir, session.id)
    path = found and media.stored_path(uploads, found["stored"])
    return media.Video(path, found["type"], found["title"]) if path else None


@router.post("/control/{session_id}/case/{activity_id}/position")
async def position(
    request: Request, session_id: RowId, activity_id: str, settings: SettingsDep, publisher: PublisherDep
):
    """The projector's player: where it is. Believed only when it disagrees with the clock, and
    then every view hears it (coalesced); otherwise nothing is written or sent."""
    try:
        report = Report.model_validate_json(await bounded_body(request, REPORT_BYTES))
    except ServiceError as error:
        return _refused(request, error)
    except ValidationError:
        return _refused(request, ServiceError("activity.error.invalid"))

    def apply(db):
        session, course, activity = _case(db, publisher.courses, session_id, activity_id)
        if session.current_activity != activity.id:
            return False
        state = sessions.activity_state(db, session.id, activity.id)
        data = dict(state.data) if state else {}
        moved = PlayHead.of(data).report(report.at, report.playing, report.rev, report.duration)
        if moved is None:
            return False
        sessions.save_activity_data(db, session, course, activity.id, {**data, "clock": moved.stored()})
        return True

    if await run_in_threadpool(with_db, request, apply):
        publisher.refresh(session_id, stage=True, delay=settings.coalesce_seconds)
    return Response(status_code=204)
