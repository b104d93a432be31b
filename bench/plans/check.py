"""What the server's database holds for each plan, against what its editor page sent.

Read with SQLAlchemy on the server's own database URL (the app's engine factory), as
check.py does. A plan is **lost** when its stored text is neither the last text its page
got a 200 for, nor a text the page sent after that one (a save that landed although its answer
never came back). Texts are compared after the app's own normalisation (`PlanBody`: defaults
filled in, whitespace stripped). Its version must be 1 + the saves answered with a new version
(+ at most the saves left unanswered); `device` and `seq` must be the page's.
"""

import json

from sqlalchemy import text

from app.db import make_engine
from app.plans.body import PlanBody

PLANS = text("""
    SELECT p.display_name, pl.id, pl.customer, pl.body, pl.version, pl.device, pl.seq
    FROM plan pl JOIN participant p ON p.id = pl.participant_id WHERE pl.session_id = :session""")
REVISIONS = text("""
    SELECT r.reason, count(*) FROM planrevision r JOIN plan pl ON pl.id = r.plan_id
    WHERE pl.session_id = :session GROUP BY r.reason""")


def _json(value):
    return json.loads(value) if isinstance(value, str) else value  # SQLite returns the text


def _normal(body: dict) -> dict:
    return PlanBody.model_validate(body).model_dump()


def read(database_url: str, session_id: int) -> tuple[dict[str, dict], dict[str, int]]:
    """name -> the stored plan; restore points by reason."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as db:
            plans = {
                name: {
                    "id": plan_id,
                    "customer": customer,
                    "body": _json(body),
                    "version": version,
                    "device": device,
                    "seq": seq,
                }
                for name, plan_id, customer, body, version, device, seq in db.execute(
                    PLANS, {"session": session_id}
                )
            }
            revisions = {reason: count for reason, count in db.execute(REVISIONS, {"session": session_id})}
    finally:
        engine.dispose()
    return plans, revisions


def _verdict(page: dict, stored: dict | None, unanswered: int) -> str:
    """ "confirmed", "later" (a text sent after the last 200) or "lost"; then the version."""
    if stored is None:
        return "missing"
    body = _normal(stored["body"])
    if body == _normal(page["confirmed"]) and stored["seq"] == page["confirmed_seq"]:
        found = "confirmed"
    elif any(body == _normal(later) and stored["seq"] == seq for seq, later in page["later"]):
        found = "later"
    else:
        return "lost"
    if page["saves"] and stored["device"] != page["device"]:
        return "wrong device"
    low = 1 + page["accepted"]
    return found if low <= stored["version"] <= low + unanswered else "wrong version"


def compare(database_url: str, session_id: int, pages: list[dict], records: list[dict]) -> dict:
    """Every page's plan, checked; the counts and a few examples."""
    stored, revisions = read(database_url, session_id)
    unanswered: dict[str, int] = {}
    for record in records:
        if record["status"] != 200:
            unanswered[record["name"]] = unanswered.get(record["name"], 0) + 1
    verdicts = {
        page["name"]: _verdict(page, stored.get(page["name"]), unanswered.get(page["name"], 0))
        for page in pages
    }
    counts: dict[str, int] = {}
    for verdict in verdicts.values():
        counts[verdict] = counts.get(verdict, 0) + 1
    wrong = [
        f"{name}: {verdict}" for name, verdict in verdicts.items() if verdict not in ("confirmed", "later")
    ]
    bytes_stored = sorted(
        len(json.dumps(plan["body"], ensure_ascii=False).encode()) for plan in stored.values()
    )
    return {
        "plans": len(stored),
        "pages": len(pages),
        "verdicts": counts,
        "lost": counts.get("lost", 0) + counts.get("missing", 0),
        "wrong_version_or_device": counts.get("wrong version", 0) + counts.get("wrong device", 0),
        "landed_unanswered": counts.get("later", 0),
        "samples": wrong[:10],
        "extra_plans": len(set(stored) - set(verdicts)),
        "versions_total": sum(plan["version"] for plan in stored.values()),
        "restore_points": revisions,
        "stored_bytes_median": bytes_stored[len(bytes_stored) // 2] if bytes_stored else 0,
    }
