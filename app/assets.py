"""Static files under content-hashed URLs. WeChat's browser keeps scripts and styles long past
any update: every page names each file with a hash of its bytes (`/static/js/live.js?v=…`), made
once at start-up, so a new version of the app is a new URL, and a URL that carries the current
hash may be kept for a year. A file asked for without it (or with an old one) is checked every
time."""

import hashlib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.modules.contract import ActivityKind

KEPT = "public, max-age=31536000, immutable"
CHECKED = "no-cache"


class Assets:
    """The hash of every file under each URL prefix's folder."""

    def __init__(self, folders: dict[str, Path]):
        self.folders = folders
        self.hashes = {
            f"{prefix}/{file.relative_to(folder).as_posix()}": _digest(file)
            for prefix, folder in folders.items()
            for file in sorted(folder.rglob("*"))
            if file.is_file()
        }

    @classmethod
    def of(cls, app_static: Path, kinds: Iterable[ActivityKind]) -> "Assets":
        """The app's static folder and each kind's own, where the app serves them."""
        folders = {"/static": app_static}
        folders |= {
            f"/static/kinds/{k.name}": k.folder / "static" for k in kinds if (k.folder / "static").is_dir()
        }
        return cls(folders)

    def url(self, path: str) -> str:
        """The URL a page names the file by; a file that is not there fails the render (a test
        finds it), rather than a phone finding a missing script."""
        return f"{path}?v={self.hashes[path]}"

    def files(self, prefix: str) -> StaticFiles:
        return HashedFiles(self, prefix)


class HashedFiles(StaticFiles):
    """One prefix's folder, served with how long a browser may keep each answer."""

    def __init__(self, assets: Assets, prefix: str):
        super().__init__(directory=assets.folders[prefix])
        self.assets, self.prefix = assets, prefix

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v")
        current = self.assets.hashes.get(f"{self.prefix}/{path}")
        kept = current is not None and asked == [current]
        response.headers["cache-control"] = KEPT if kept and response.status_code in (200, 304) else CHECKED
        return response


def _digest(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()[:12]
