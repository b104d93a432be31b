"""Random codes and tokens."""

import hashlib
import secrets

REJOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def join_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def rejoin_code() -> str:
    return "".join(secrets.choice(REJOIN_ALPHABET) for _ in range(6))


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
