"""Files a session keeps on disk (a case's uploaded video…) live in one folder per session,
DATA_DIR/sessions/<id>/, so deleting the session's personal data deletes them too."""

import shutil
from pathlib import Path


def session_folder(data_dir: Path, session_id: int, part: str) -> Path:
    path = data_dir / "sessions" / str(int(session_id)) / part
    path.mkdir(parents=True, exist_ok=True)
    return path


def erase(data_dir: Path, session_id: int) -> None:
    shutil.rmtree(data_dir / "sessions" / str(int(session_id)), ignore_errors=True)
