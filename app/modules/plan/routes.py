"""The trainee's plan pages: begin a plan, the editor, saving as they type, the restore points.

Saving is a small JSON API for the editor's script (plan.js): it answers with the new version
and the guidance (SMART check, completeness), or says exactly why the text was not stored — a
conflict (with the current text), a lock, or a field that is too long. The page's own copy in
the browser is kept until the server has confirmed it, so none of these loses anything."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field, Json, ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.auth.csrf import verify_csrf
from app.course.models import Course
from app.db import DbSession
from app.deps import CoursesDep, PublisherDep, SettingsDep, current_seat
from app.errors import ServiceError
from app.fields import Count, RowId
from app.i18n import translate
from app.live.publisher import Publisher
from app.modules.plan import workspace
from app.plans import checks, store
from app.plans.body import PlanBody
from app.web import language, page, redirect, text_form

router = APIRouter(dependencies=[Depends(verify_csrf)])
MAX_BODY_BYTES = 48 * 1024


def _seat(request: Request, db: Session, courses: dict[str, Course], code: str):
    """The trainee of the code, in a course that has a plan workspace."""
    seat = current_seat(request, db, courses, code)
    if workspace.activity_of(seat.course) is None:
        raise ServiceError("error.not_found", status=404)
    return seat.session, seat.course, seat.participant


def _owned(db: Session, session, me, customer: str):
    plan = store.of_customer(db, session.id, me.id, customer)
    if plan is None:
        raise ServiceError("error.not_found", status=404)
    return plan


@router.post("/play/{code}/plans")
def begin(
    request: Request,
    db: DbSession,
    courses: CoursesDep,
    code: str,
    customer: str = Form("", max_length=16),
    stage: str = Form("", max_length=32),
):
    session, course, me = _seat(request, db, courses, code)
    plan = workspace.begin(db, session, course, me, customer, stage)
    return redirect(request, f"/play/{session.code}/plans/{plan.customer}")


@router.get("/play/{code}/plans/{customer}")
def editor(request: Request, db: DbSession, courses: CoursesDep, code: str, customer: str):
    session, course, me = _seat(request, db, courses, code)
    plan = _owned(db, session, me, customer)
    activity = workspace.activity_of(course)
    return page(
        request,
        "plan/editor.html",
        lang=me.language,
        session=session,
        course=course,
        me=me,
        plan=plan,
        body=store.body_of(plan),
        cfg=activity.config,
        writing=activity.id,
        guidance=_guidance(store.body_of(plan), course, me.language),
        locked=workspace.locked(db, session, course),
    )


@router.post("/play/{code}/plans/{customer}/save")
async def save(request: Request, code: str, customer: str, publisher: PublisherDep, settings: SettingsDep):
    try:
        form = await text_form(request, max_fields=8, max_part_size=MAX_BODY_BYTES)
    except ServiceError as error:
        return _refused(request, error)
    work = (request, publisher, settings.coalesce_seconds, code, customer, form)
    return await run_in_threadpool(_save, *work)


class SaveForm(BaseModel):
    """A save as the editor posts it: the version it edited, its device and the save's number
    there, and the plan's text as JSON."""

    base: Count
    seq: Count
    device: str = Field(min_length=1, max_length=32)
    body: Json[Any]


def _refused(request: Request, error: ServiceError) -> JSONResponse:
    message = translate(language(request), error.key, **error.values)
    return JSONResponse({"error": error.key, "message": message}, status_code=error.status)


def _save(
    request: Request, publisher: Publisher, delay: float, code: str, customer: str, form: dict
) -> JSONResponse:
    with Session(publisher.engine, expire_on_commit=False) as db:
        try:
            return _store(request, publisher, delay, db, code, customer, form)
        except store.SaveConflict as conflict:
            return JSONResponse(_conflict(conflict.plan), status_code=409)
        except ServiceError as error:
            return _refused(request, error)


def _store(
    request: Request, publisher: Publisher, delay: float, db: Session, code: str, customer: str, form: dict
) -> JSONResponse:
    session, course, me = _seat(request, db, publisher.courses, code)
    plan = _owned(db, session, me, customer)
    workspace.require_unlocked(db, session, course)
    body, base, device, seq = _read(form, me.language)
    saved = store.save(db, plan, body, base=base, device=device, seq=seq, ladder=workspace.ladder(course))
    rewarded = not saved.repeat and workspace.reward_if_complete(db, session, course, me, saved.plan)
    if session.current_activity == workspace.activity_of(course).id or rewarded:
        publisher.refresh(session.id, counts=True, people=[me.id], delay=delay)
    return JSONResponse(
        {
            "version": saved.plan.version,
            "saved_at": saved.plan.updated_at.isoformat(),
            "repeat": saved.repeat,
            "guidance": _guidance(
                body if not saved.repeat else store.body_of(saved.plan), course, me.language, saved.progress
            ),
        }
    )


def _read(form: dict[str, Any], lang: str) -> tuple[PlanBody, int, str, int]:
    """The save's fields, each checked; a field of the plan that is too long is named in the message."""
    try:
        fields = SaveForm.model_validate(form)
    except ValidationError:
        raise ServiceError("plan.error.invalid") from None
    try:
        return PlanBody.model_validate(fields.body), fields.base, fields.device, fields.seq
    except ValidationError as error:
        raise _explain(error.errors()[0], lang) from None


def _explain(problem: dict, lang: str) -> ServiceError:
    names = [part for part in problem["loc"] if isinstance(part, str)]
    field = translate(lang, f"plan.field.{names[-1]}") if names else ""
    if problem["type"] == "string_too_long":
        return ServiceError("plan.error.too_long", field=field, n=problem["ctx"]["max_length"])
    if problem["type"] == "too_long":
        return ServiceError("plan.error.too_many", field=field, n=problem["ctx"]["max_length"])
    return ServiceError("plan.error.field", field=field)


def _conflict(plan) -> dict:
    return {
        "conflict": True,
        "version": plan.version,
        "body": plan.body,
        "device": plan.device,
        "saved_at": plan.updated_at.isoformat(),
    }


def _guidance(body: PlanBody, course, lang: str, done: checks.Completeness | None = None) -> dict:
    """What the editor shows beside the fields: the meter, what is missing, each objective's problems."""
    steps = workspace.ladder(course)
    done = done or checks.completeness(body, steps)
    return {
        "percent": done.percent,
        "sections": done.sections,
        "missing": [translate(lang, f"plan.check.{item}") for item in done.missing],
        "smart": [
            [translate(lang, f"plan.smart.{p}") for p in checks.smart_problems(o, steps)]
            for o in body.objectives
        ],
    }


@router.get("/play/{code}/plans/{customer}/history")
def history(request: Request, db: DbSession, courses: CoursesDep, code: str, customer: str):
    session, course, me = _seat(request, db, courses, code)
    plan = _owned(db, session, me, customer)
    steps = workspace.ladder(course)
    points = [
        (r, checks.completeness(PlanBody.model_validate(r.body), steps).percent)
        for r in store.revisions(db, plan.id)
    ]
    return page(
        request,
        "plan/history.html",
        lang=me.language,
        session=session,
        plan=plan,
        points=points,
        locked=workspace.locked(db, session, course),
    )


@router.post("/play/{code}/plans/{customer}/restore")
def restore(
    request: Request,
    db: DbSession,
    courses: CoursesDep,
    code: str,
    customer: str,
    revision: Annotated[RowId, Form()],
    device: str = Form("restore", max_length=32),
):
    session, course, me = _seat(request, db, courses, code)
    plan = _owned(db, session, me, customer)
    workspace.require_unlocked(db, session, course)
    store.restore(db, plan, revision, device, workspace.ladder(course))
    return RedirectResponse(f"/play/{session.code}/plans/{plan.customer}?restored=1", status_code=303)
