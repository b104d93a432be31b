"""Small helpers shared by the page routes: rendering with language and CSRF, htmx details."""

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.auth.csrf import csrf_token
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


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def join_base(request: Request) -> str:
    """Where phones reach this server: PUBLIC_URL, else the host this page was opened on."""
    return request.app.state.settings.public_url or str(request.base_url)


def redirect(request: Request, url: str) -> Response:
    """A 303 for a plain form; for htmx, HX-Redirect so the whole page navigates."""
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
