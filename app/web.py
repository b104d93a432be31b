"""Small helpers shared by the page routes: rendering with language and CSRF, htmx details, and
reading what a route takes from the request itself (a form's text fields, a bounded body)."""

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.auth.csrf import FORM_TYPES, csrf_token
from app.errors import ServiceError
from app.i18n import LANGUAGE_COOKIE, LANGUAGES, pick_language, translator


def language(request: Request) -> str:
    return pick_language(request.cookies.get(LANGUAGE_COOKIE))


def page(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    lang = values.pop("lang", None) or language(request)
    context = {
        "lang": lang,
        "languages": LANGUAGES,
        "t": translator(lang),
        "csrf": csrf_token(request),
        "settings": request.app.state.settings,
        **values,
    }
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def in_wechat(request: Request) -> bool:
    """WeChat's in-app browser: it drops downloads, so what it is offered must differ."""
    return "MicroMessenger" in request.headers.get("user-agent", "")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def join_base(request: Request) -> str:
    """Where phones reach this server: PUBLIC_URL, else the host this page was opened on."""
    return request.app.state.settings.public_url or str(request.base_url)


def local_url(path: str) -> str:
    """A path of this site, as a Location header can carry it: whatever a visitor put in it (a
    join code, a `next`) is percent-encoded, and what already is stays as it is."""
    return quote(path, safe="/?&=#%:@!$'()*+,;~")


def redirect(request: Request, url: str) -> Response:
    """A 303 for a plain form; for htmx, HX-Redirect so the whole page navigates."""
    url = local_url(url)
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def is_form(request: Request) -> bool:
    """Whether the body is a form (which the CSRF check may already have read)."""
    return request.headers.get("content-type", "").startswith(FORM_TYPES)


async def text_form(request: Request, max_fields: int, max_part_size: int) -> dict[str, str | list[str]]:
    """The fields of a form a route reads itself (a kind's action, a plan's save), each a text, or
    a list of texts when sent several times; a file where a field was expected is refused (422)."""
    form = await request.form(max_fields=max_fields, max_part_size=max_part_size)
    fields: dict[str, str | list[str]] = {}
    for key in form:
        values = form.getlist(key)
        if not all(isinstance(v, str) for v in values):
            raise ServiceError("error.invalid", status=422)
        fields[key] = [str(v) for v in values] if len(values) > 1 else str(values[0])
    return fields


async def bounded_body(request: Request, limit: int) -> bytes:
    """The body of a small JSON request, refused (413) past `limit` bytes, or (415) when it is a
    form, which is never what such a route takes."""
    if is_form(request):
        raise ServiceError("error.bad_request", status=415)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ServiceError("error.too_large", status=413)
    return body
