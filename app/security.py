"""Security headers on every HTTP response: nothing loads from elsewhere, no framing, pages with
names and plan text kept out of caches, and HTTPS remembered when the app runs behind it."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


HSTS = (b"strict-transport-security", b"max-age=31536000")
# Pages and fragments carry trainees' names and plan text: no shared or back-button cache keeps them.
NO_STORE = (b"cache-control", b"no-store")
PRIVATE_TYPES = (b"text/html", b"application/json")


class SecurityHeaders:
    """Pure ASGI middleware (no body buffering, websockets untouched)."""

    def __init__(self, app: ASGIApp, https: bool = False):
        self.app = app
        self.headers = [*HEADERS, HSTS] if https else HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                added = [h for h in self.headers if h[0] not in headers]
                if headers.get(b"content-type", b"").startswith(PRIVATE_TYPES):
                    added += [NO_STORE] if b"cache-control" not in headers else []
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)
