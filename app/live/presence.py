"""Who is online right now: open play-view connections per participant.

Presence is about this moment, not state to keep: after a restart everyone reconnects and counts
again. It is per process; a multi-process deployment would keep it in the hub's backend.
"""

import threading
from collections import Counter, defaultdict, deque
from collections.abc import Callable

MAX_SOCKETS_PER_SEAT = 5  # two tabs and a phone reconnecting are normal; two hundred are not


class Presence:
    def __init__(self) -> None:
        self._open: defaultdict[int, Counter[int]] = defaultdict(Counter)  # by session, trainee
        self._lock = threading.Lock()
        # A close(reason) per open play socket of a seat, oldest first; callable from any thread.
        self._sockets_of: defaultdict[tuple[int, int], deque[Callable[[str], None]]] = defaultdict(deque)
        self.sockets = 0  # every open websocket of this process (play, screen, control)
        self.vanished = 0  # websockets whose client disappeared in the middle of a send

    def connected(self, session_id: int, participant_id: int) -> bool:
        """Count a connection; True when the participant just came online."""
        with self._lock:
            here = self._open[session_id]
            here[participant_id] += 1
            return here[participant_id] == 1

    def disconnected(self, session_id: int, participant_id: int) -> bool:
        """Uncount a connection; True when the participant just went offline."""
        with self._lock:
            here = self._open[session_id]
            here[participant_id] -= 1
            if here[participant_id] > 0:
                return False
            del here[participant_id]
            if not here:
                del self._open[session_id]
            return True

    def opened(self, session_id: int, participant_id: int, close: Callable[[str], None]) -> None:
        """A play socket of this seat opened; past the limit, the seat's oldest one is closed
        (`close` asks a socket to go, saying why): the newest is the one in a person's hand."""
        with self._lock:
            sockets = self._sockets_of[(session_id, participant_id)]
            sockets.append(close)
            oldest = sockets.popleft() if len(sockets) > MAX_SOCKETS_PER_SEAT else None
        if oldest is not None:
            oldest("play.opened_elsewhere")

    def moved(self, session_id: int, participant_id: int) -> None:
        """The seat moved to another device: every socket it had open says so and closes."""
        with self._lock:
            sockets = list(self._sockets_of.pop((session_id, participant_id), ()))
        for close in sockets:
            close("play.seat_moved_away")

    def erased(self, session_id: int) -> None:
        """The session's seats are gone (its personal data deleted): every play socket of it
        says so and closes, so no page counts as online in a session without trainees."""
        with self._lock:
            seats = [seat for seat in self._sockets_of if seat[0] == session_id]
            sockets = [close for seat in seats for close in self._sockets_of.pop(seat)]
        for close in sockets:
            close("play.data_erased")

    def closed(self, session_id: int, participant_id: int, close: Callable[[str], None]) -> None:
        with self._lock:
            sockets = self._sockets_of.get((session_id, participant_id))
            if sockets is not None and close in sockets:
                sockets.remove(close)
            if sockets is not None and not sockets:
                del self._sockets_of[(session_id, participant_id)]

    def online(self, session_id: int) -> set[int]:
        with self._lock:
            return set(self._open.get(session_id, ()))
