"""Who is online right now: open play-view connections per participant.

Presence is about this moment, not state to keep: after a restart everyone reconnects and counts
again. It is per process; a multi-process deployment would keep it in the hub's backend.
"""

import threading
from collections import Counter


class Presence:
    def __init__(self) -> None:
        self._open: Counter[tuple[int, int]] = Counter()
        self._lock = threading.Lock()

    def connected(self, session_id: int, participant_id: int) -> bool:
        """Count a connection; True when the participant just came online."""
        with self._lock:
            self._open[(session_id, participant_id)] += 1
            return self._open[(session_id, participant_id)] == 1

    def disconnected(self, session_id: int, participant_id: int) -> bool:
        """Uncount a connection; True when the participant just went offline."""
        with self._lock:
            key = (session_id, participant_id)
            self._open[key] -= 1
            if self._open[key] <= 0:
                del self._open[key]
                return True
            return False

    def online(self, session_id: int) -> set[int]:
        with self._lock:
            return {pid for (sid, pid) in self._open if sid == session_id}
