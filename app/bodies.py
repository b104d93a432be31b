"""Request bodies read to the end before the answer goes out.

A refusal can come before the body was read: a wrong CSRF token, a form with too many fields or a
part too large, an upload of the wrong type. Were the answer sent then, the server would close the
connection with the rest of the body unread, and the client, still sending, would see the
connection reset instead of the answer. So the rest is read (and dropped) first, up to a bound: a
body larger than that is an upload the route has refused already, and is not worth reading."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DRAIN_BYTES = 4 * 2**20


class ReadToEnd:
    """Pure ASGI middleware: websockets and answers to fully read requests pass untouched."""

    def __init__(self, app: ASGIApp, limit: int = DRAIN_BYTES):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        read_all = False

        async def receive_noting_the_end() -> Message:
            nonlocal read_all
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                read_all = True
            return message

        async def send_once_read(message: Message) -> None:
            if message["type"] == "http.response.start":
                left = self.limit
                while not read_all and left >= 0:
                    left -= len((await receive_noting_the_end()).get("body", b""))
            await send(message)

        await self.app(scope, receive_noting_the_end, send_once_read)
