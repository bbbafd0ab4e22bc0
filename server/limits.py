"""Per-client concurrency: one client may run only so many queries at once (then 429)."""

from __future__ import annotations

import threading
from collections import Counter


class ClientLimiter:
    """Counts running requests per client address; ``acquire`` fails past the limit."""

    def __init__(self, max_per_client: int) -> None:
        self.max_per_client = max_per_client
        self._running: Counter[str] = Counter()
        self._lock = threading.Lock()

    def acquire(self, client: str) -> bool:
        if self.max_per_client <= 0:  # 0 = no limit
            return True
        with self._lock:
            if self._running[client] >= self.max_per_client:
                return False
            self._running[client] += 1
            return True

    def release(self, client: str) -> None:
        if self.max_per_client <= 0:
            return
        with self._lock:
            self._running[client] -= 1
            if self._running[client] <= 0:
                del self._running[client]

    def running(self, client: str) -> int:
        with self._lock:
            return self._running[client]
