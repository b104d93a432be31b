"""Settings, read from the environment (and an optional .env file)."""

import secrets
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: str = "development"  # development | production | test
    database_url: str = ""  # empty: SQLite in data_dir (workshop.db)
    hub_url: str = "memory://"
    hub_prefix: str = "kam:"  # this installation's channels and keys, in a Redis others share
    secret_key: str = ""  # empty in development: generated once and kept in data_dir
    content_dir: Path = ROOT / "content"
    data_dir: Path = Path("./data")
    public_url: str = ""  # base for join links in QR codes; empty = the request's own host
    allowed_origins: list[str] = []  # extra websocket origins besides the page's own host
    heartbeat_seconds: float = 15.0
    ws_queue_size: int = 64
    ws_max_message_bytes: int = 64 * 1024
    # A page sends a message per tap; a flood from one socket must not slow everyone else down.
    ws_messages_per_second: float = 10.0
    join_rate_per_minute: int = 600  # per client IP; a whole class may sit behind one NAT
    login_rate_per_minute: int = 20
    coalesce_seconds: float = 0.25
    session_capacity: int = 3000  # trainees one session takes; the next is told it is full
    media_max_mb: int = 1024  # the largest case video the control page may upload
    secure_cookies: bool = False
    # The proxies (addresses or networks) whose X-Forwarded-For names the client; nobody else's is
    # believed, so a client cannot dodge the per-address limits by writing the header itself.
    trusted_proxies: list[str] = []

    @model_validator(mode="after")
    def _database_in_data_dir(self) -> "Settings":
        """DATA_DIR alone moves the database too (a folder that exists, not a default elsewhere)."""
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'workshop.db'}"
        return self

    @model_validator(mode="after")
    def _secret_outside_development(self) -> "Settings":
        if self.environment not in ("development", "test") and len(self.secret_key) < 32:
            raise ValueError("SECRET_KEY (32+ characters) must be set outside development")
        return self

    def resolved_secret(self) -> str:
        """The configured secret, or in development one generated on first run and kept."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
