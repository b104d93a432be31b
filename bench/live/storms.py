"""Reconnect storms: every phone's websocket dropped at once (a server restart, the room's Wi-Fi
going down) and opened again at once, at four moments of the day: a brief card, an open quiz, a
revealed quiz and the leaderboard. A phone is back when its view is whole again: the room's
stage (its snapshot) and then its own header and part."""

import time

from bench.harness import stats
from bench.harness.course import first_of_kind
from bench.harness.phases import log, wait_idle
from bench.harness.pool import WorkerPool

LIMIT_S = 5.0  # every phone whole again within this (the target)


def moments(root) -> list[tuple[str, str, list[tuple[str, dict]]]]:
    """(name, activity, the facilitator's moves that get there), in the order they are run."""
    brief, quiz, board = (first_of_kind(kind, root) for kind in ("brief", "quiz", "leaderboard"))
    return [
        ("brief", brief, [("go", {"activity": brief})]),
        ("quiz open", quiz, [("go", {"activity": quiz}), ("kind/start", {})]),
        ("quiz revealed", quiz, [("kind/reveal", {})]),
        ("leaderboard", board, [("go", {"activity": board})]),
    ]


def run_storms(pool: WorkerPool, session, root, timeout: float) -> dict:
    """Each moment's storm: how many phones were whole again, and how fast."""
    figures = {}
    for name, activity, moves in moments(root):
        for action, form in moves:
            session.trainer.post(action, form)
        wait_idle(session.server)
        started = time.time()
        replies = pool.call(
            "storm",
            {
                "url": session.ws_url(f"play/{session.code}"),
                "origin": session.server.url,
                "activity": activity,
                "started": started,
                "timeout": timeout,
            },
            timeout=timeout + 60,
        )
        whole = [s for reply in replies for s in reply["whole_s"]]
        figures[name] = {
            "whole": len(whole),
            "not_whole": sum(reply["not_whole"] for reply in replies),
            "failed_connects": sum(reply["failures"] for reply in replies),
            "errors": [e for reply in replies for e in reply["errors"]][:5],
            "seconds": stats.summary([s * 1000 for s in whole]),
            "within_limit": sum(1 for s in whole if s <= LIMIT_S),
        }
        log(f"storm at {name}: {len(whole)} whole again, p95 {figures[name]['seconds']['p95']} ms")
    return figures
