"""Who is online right now: open play-view connections per participant.

Presence is about this moment, not state to keep: after a restart everyone reconnects and counts
again. Each process counts its own connections; with several processes a shared `Roster` (in
Redis) lists who is connected anywhere, which is what the roster and the renders read.
"""

import threading
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from typing import Protocol

MAX_SOCKETS_PER_SEAT = 5  # two tabs and a phone reconnecting are normal; two hundred are not


class Roster(Protocol):
    """Who is connected to any worker: told when someone arrives or leaves here."""

    async def here(self, session_id: int, participant_id: int) -> None: ...

    async def gone(self, session_id: int, participant_id: int) -> None: ...

    async def renew(self, present: Iterable[tuple[int, int]]) -> None: ...

    def online(self, session_id: int) -> set[int]: ...


class Presence:
    def __init__(self, roster: Roster | None = None) -> None:
        self.roster = roster
        self._open: defaultdict[int, Counter[int]] = defaultdict(Counter)  # by session, trainee
        self._lock = threading.Lock()
        # A close(reason) per open play socket of a seat, oldest first; callable from any thread.
        self._sockets_of: defaultdict[tuple[int, int], deque[Callable[[str], None]]] = defaultdict(deque)
        self.sockets = 0  # every open websocket of this process (play, screen, control)
        self.vanished = 0  # websockets whose client disappeared in the middle of a send

    async def connected(self, session_id: int, participant_id: int) -> bool:
        """Count a connection; True when the participant just came online (here)."""
        with self._lock:
            here = self._open[session_id]
            here[participant_id] += 1
            arrived = here[participant_id] == 1
        if arrived and self.roster is not None:
            await self.roster.here(session_id, participant_id)
        return arrived

    async def disconnected(self, session_id: int, participant_id: int) -> bool:
        """Uncount a connection; True when the participant just went offline (here)."""
        with self._lock:
            here = self._open[session_id]
            here[participant_id] -= 1
            left = here[participant_id] <= 0
            if left:
                del here[participant_id]
            if not here:
                del self._open[session_id]
        if left and self.roster is not None:
            await self.roster.gone(session_id, participant_id)
        return left

    async def renew(self) -> None:
        """Tell the shared roster again who is connected here (with every heartbeat)."""
        if self.roster is not None:
            with self._lock:
                present = [(sid, pid) for sid, here in self._open.items() for pid in here]
            await self.roster.renew(present)

    def opened(self, session_id: int, participant_id: int, close: Callable[[str], None]) -> None:
        """A play socket of this seat opened; past the limit, the seat's oldest one is closed
        (`close` asks a socket to go, saying why): the newest is the one in a person's hand."""
        with self._lock:
            sockets = self._sockets_of[(session_id, participant_id)]
            sockets.append(close)
            oldest = sockets.popleft() if len(sockets) > MAX_SOCKETS_PER_SEAT else None
        if oldest is not None:
            oldest("play.opened_elsewhere")

    def closed(self, session_id: int, participant_id: int, close: Callable[[str], None]) -> None:
        with self._lock:
            sockets = self._sockets_of.get((session_id, participant_id))
            if sockets is not None and close in sockets:
                sockets.remove(close)
            if sockets is not None and not sockets:
                del self._sockets_of[(session_id, participant_id)]

    def online(self, session_id: int) -> set[int]:
        if self.roster is not None:
            return self.roster.online(session_id)
        with self._lock:
            return set(self._open.get(session_id, ()))
