"""Download names that survive every system: readable (Chinese kept), nothing a file system or a
ZIP tool would misread, and the RFC 5987 header so browsers keep the Chinese."""

import re
import unicodedata
from urllib.parse import quote

FORBIDDEN = re.compile(r'[<>:"/\\|?*]')  # Windows refuses these; / and \ would make folders
MAX_PART = 40  # characters of one part (a name, a team); whole names stay well under 255 bytes


def safe_part(text: str, limit: int = MAX_PART) -> str:
    """One part of a file name: no control or forbidden characters, spaces collapsed, trimmed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = " ".join(FORBIDDEN.sub("", text).split())
    return text[:limit].strip(" .")  # Windows drops a trailing dot or space


def joined(parts: list[str], extension: str) -> str:
    """Parts joined by "-" (empty ones left out), with the extension."""
    return "-".join(p for p in (safe_part(part) for part in parts) if p) + extension


def unique(names: list[str]) -> list[str]:
    """The same names, a repeated one numbered ("a.docx", "a-2.docx"), compared case-blind."""
    seen: set[str] = set()
    found = []
    for name in names:
        stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
        candidate, n = name, 1
        while candidate.casefold() in seen:
            n += 1
            candidate = f"{stem}-{n}{dot}{extension}"
        seen.add(candidate.casefold())
        found.append(candidate)
    return found


def content_disposition(name: str, fallback: str) -> str:
    """`attachment` with the real name (UTF-8) and an ASCII name for old clients."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", fallback)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
