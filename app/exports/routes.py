"""Downloads and print views: the facilitator's exports of a session and deleting its personal
data afterwards; a trainee's own take-home report and plan print view (theirs only)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app import qr
from app.auth import access
from app.auth.csrf import verify_csrf
from app.auth.deps import FacilitatorDep, require_facilitator
from app.config import Settings
from app.course.models import Course
from app.db import DbSession
from app.deps import CoursesDep, PublisherDep, SettingsDep, current_participant
from app.errors import ServiceError
from app.exports import bundle, dossier, erase, filenames, links, workbook
from app.exports.labels import Labels
from app.exports.report import report_document, report_docx
from app.fields import RowId
from app.live import participants, sessions, storage, teams
from app.models import LiveSession, Participant, Team
from app.plans import store
from app.plans.models import Plan
from app.web import in_wechat, join_base, language, local_url, page, redirect

router = APIRouter()
FACILITATOR = [Depends(require_facilitator), Depends(verify_csrf)]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
TokenPath = Annotated[str, Path(max_length=200)]  # a signed link's token (links.sign)


def _download(content: bytes, media_type: str, name: str, fallback: str) -> Response:
    """Personal data: attached under a readable name, and never kept by a cache."""
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": filenames.content_disposition(name, fallback),
            "Cache-Control": "no-store",
        },
    )


@router.get("/control/{session_id}/export/plans.zip", dependencies=FACILITATOR)
def plans_zip(request: Request, session_id: RowId, db: DbSession, courses: CoursesDep):
    session, lang = sessions.get(db, session_id), language(request)
    course = courses[session.course_id]
    words = Labels(course, lang)
    name = filenames.joined([words.t("export.report.title"), session.code], ".zip")
    return _download(bundle.plans_zip(db, session, course, lang), ZIP, name, f"plans-{session.code}.zip")


@router.get("/control/{session_id}/export/workbook.xlsx", dependencies=FACILITATOR)
def session_workbook(request: Request, session_id: RowId, db: DbSession, courses: CoursesDep):
    session, lang = sessions.get(db, session_id), language(request)
    course = courses[session.course_id]
    name = filenames.joined([course.title.get(lang), session.code], ".xlsx")
    return _download(
        workbook.session_workbook(db, session, course, lang), XLSX, name, f"session-{session.code}.xlsx"
    )


@router.get("/control/{session_id}/export/participants/{participant_id}.docx", dependencies=FACILITATOR)
def participant_docx(
    request: Request, session_id: RowId, participant_id: RowId, db: DbSession, courses: CoursesDep
):
    session, lang = sessions.get(db, session_id), language(request)
    person = _participant(db, session, participant_id)
    return _report(db, courses[session.course_id], session, person, lang, f"participant-{person.id}.docx")


@router.get("/control/{session_id}/export/people", dependencies=FACILITATOR)
def people(request: Request, session_id: RowId, db: DbSession):
    """The per-trainee download and print links, loaded when the facilitator opens the list."""
    session = sessions.get(db, session_id)
    plans: dict[int, list[Plan]] = {}
    for plan in store.of_session(db, session.id):
        plans.setdefault(plan.participant_id, []).append(plan)
    return page(
        request,
        "exports/_people.html",
        session=session,
        plans=plans,
        teams={t.id: t.name for t in teams.teams(db, session.id)},
        people=participants.roster(db, session.id),
    )


@router.get("/control/{session_id}/plans/{plan_id}/print", dependencies=FACILITATOR)
def plan_print(request: Request, session_id: RowId, plan_id: RowId, db: DbSession, courses: CoursesDep):
    session = sessions.get(db, session_id)
    plan = store.get(db, session.id, plan_id)
    course, back = courses[session.course_id], f"/control/{session.id}"
    return _print(request, db, course, session, plan, language(request), back=back)


@router.post("/control/{session_id}/erase", dependencies=FACILITATOR)
def erase_session(
    request: Request,
    session_id: RowId,
    db: DbSession,
    settings: SettingsDep,
    publisher: PublisherDep,
    facilitator: FacilitatorDep,
    confirm: str = Form("", max_length=32),
):
    """The session's owner or an administrator: delete its personal data, once they typed its
    join code."""
    session = sessions.get(db, session_id)
    access.require_manager(facilitator, session)
    if confirm.strip() != session.code:
        raise ServiceError("export.erase.wrong_code")
    erase.erase_personal_data(db, session.id)
    storage.erase(settings.data_dir, session.id)
    publisher.session_erased(session.id)
    publisher.refresh(session.id, stage=True, roster=True)
    return redirect(request, f"/control/{session.id}?erased=1")


@router.get("/play/{code}/report")
def my_report(request: Request, code: str, db: DbSession, settings: SettingsDep):
    """The trainee's take-home report, by its signed link: the address WeChat's "open in
    browser" hands on must open without this browser's seat cookie."""
    return _to_signed(request, db, settings, code, "")


@router.get("/play/{code}/report.docx")
def my_report_docx(request: Request, code: str, db: DbSession, settings: SettingsDep):
    """The document by its signed link (pages an earlier version left in a phone's cache link
    here)."""
    return _to_signed(request, db, settings, code, "/report.docx")


@router.get("/take-home/{token}")
def take_home(request: Request, token: TokenPath, db: DbSession, courses: CoursesDep, settings: SettingsDep):
    """Whoever holds the link: the report as a page to read and print on a phone, with what
    works inside WeChat (open it in the browser, copy the link, scan it on a computer)."""
    from app.exports import docx_html  # python-docx: only when a report is read, not at start-up

    session, person = _holder(db, settings, token)
    course = courses[session.course_id]
    link = join_base(request).rstrip("/") + f"/take-home/{token}"
    return page(
        request,
        "exports/takehome.html",
        lang=person.language,
        blocks=docx_html.blocks(report_document(db, session, course, person, person.language)),
        token=token,
        link=link,
        qr=qr.svg(link),
        scripts=["/static/js/takehome.js"],
        wechat=in_wechat(request),
        hours=links.LIFETIME_HOURS,
        person=person,
        session=session,
    )


@router.get("/take-home/{token}/report.docx")
def take_home_docx(token: TokenPath, db: DbSession, courses: CoursesDep, settings: SettingsDep):
    session, person = _holder(db, settings, token)
    return _report(db, courses[session.course_id], session, person, person.language, "report.docx")


@router.get("/play/{code}/plans/{customer}/print")
def my_plan_print(request: Request, code: str, customer: str, db: DbSession, courses: CoursesDep):
    session, me = _seat(request, db, code)
    if me is None:
        return RedirectResponse(local_url(f"/j/{code[:6]}"), status_code=303)
    plan = store.of_customer(db, session.id, me.id, customer[:12])  # only ever one of their own
    if plan is None:
        raise ServiceError("error.not_found", status=404)
    course, back = courses[session.course_id], f"/play/{session.code}"
    return _print(request, db, course, session, plan, me.language, back=back)


def _seat(request: Request, db: DbSession, code: str) -> tuple[LiveSession | None, Participant | None]:
    session = sessions.by_code(db, code)
    return session, current_participant(request, db, session) if session else None


def _to_signed(request: Request, db: DbSession, settings: Settings, code: str, suffix: str):
    session, me = _seat(request, db, code)
    if session is None or me is None:
        return RedirectResponse(local_url(f"/j/{code[:6]}"), status_code=303)
    token = links.sign(settings.resolved_secret(), session.id, me.id)
    return RedirectResponse(f"/take-home/{token}{suffix}", status_code=303)


def _holder(db: Session, settings: Settings, token: str) -> tuple[LiveSession, Participant]:
    """The session and trainee a signed link names, if both are still there (a session whose
    personal data was erased opens nothing)."""
    holder = links.read(settings.resolved_secret(), token)
    session, person = db.get(LiveSession, holder.session_id), db.get(Participant, holder.participant_id)
    if session is None or person is None or person.session_id != session.id:
        raise ServiceError("takehome.error.gone", status=404)
    return session, person


def _participant(db: DbSession, session: LiveSession, participant_id: int) -> Participant:
    person = db.get(Participant, participant_id)
    if person is None or person.session_id != session.id:
        raise ServiceError("error.not_found", status=404)
    return person


def _report(
    db: Session, course: Course, session: LiveSession, person: Participant, lang: str, fallback: str
) -> Response:
    words = Labels(course, lang)
    name = filenames.joined([words.t("export.report.title"), person.display_name], ".docx")
    return _download(report_docx(db, session, course, person, lang), DOCX, name, fallback)


def _print(
    request: Request, db: Session, course: Course, session: LiveSession, plan: Plan, lang: str, back: str
):
    person = db.get(Participant, plan.participant_id)
    team = db.get(Team, person.team_id) if person.team_id else None
    view = dossier.plan_views(db, course, [plan])[0]
    return page(
        request,
        "exports/plan_print.html",
        lang=lang,
        view=view,
        words=Labels(course, lang),
        person=person,
        team=team.name if team else None,
        session=session,
        course=course,
        back=back,
    )
