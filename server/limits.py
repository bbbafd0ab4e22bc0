"""Per-client budgets: who a client is, how many queries it may run, how many long ones, and
how many wrong update tokens it may try.

* :func:`client_address` is the connecting address, or behind a trusted reverse proxy the
  address the proxy saw (``X-Forwarded-For``), so every budget here is per real client.
* :class:`ClientLimiter` counts running queries per client (then 429) and keeps the slow lane:
  a query still running after ``slow_query_s`` is long-running, and only so many may be, per
  client and in all. One that is not admitted is stopped (503), and its client gets 429 until
  it has no long-running query left (or for a few seconds, when other clients filled the
  lane), so it cannot keep the lane's overflow spinning. What the
  lane cannot hold is left to everyone else: threads, workers and CPU for short queries.
* :class:`AuthThrottle` counts wrong update tokens per client and locks the client out for a
  while after a few, so a token cannot be guessed at the speed of the network.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import Counter
from collections.abc import Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

SLOW_LANE_COOLDOWN_S = 5.0


def parse_networks(entries: Sequence[str]) -> tuple[Network, ...]:
    """``trusted_proxies`` entries (addresses or CIDR ranges) as networks."""
    out = []
    for entry in entries:
        try:
            out.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"trusted_proxies: '{entry}' is not an address or range") from exc
    return tuple(out)


def _in(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(remote_addr: str | None, forwarded_for: str, trusted: Sequence[Network]) -> str:
    """The client a request comes from: ``X-Forwarded-For`` is read only when the connection
    comes from a trusted proxy, from the right (the entries proxies appended) to the first
    address that is not a trusted proxy itself; anything left of it is the client's say."""
    remote = remote_addr or "unknown"
    if not trusted or not _in(remote, trusted):
        return remote
    forwarded = [a.strip() for a in forwarded_for.split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _in(address, trusted):
            try:
                return str(ipaddress.ip_address(address.strip("[]")))
            except ValueError:
                return remote  # a malformed entry: the proxy is the best we know
    return forwarded[0] if forwarded else remote


class ClientLimiter:
    """Running queries per client (``acquire`` fails past the limit) and the slow lane."""

    def __init__(
        self,
        max_per_client: int,
        *,
        slow_after_s: float = 0.0,
        max_slow: int = 0,
        max_slow_per_client: int = 0,
    ) -> None:
        self.max_per_client = max_per_client
        self.slow_after_s = slow_after_s
        """Seconds after which a query is long-running (0 = no slow lane)."""
        self.max_slow = max_slow
        self.max_slow_per_client = max_slow_per_client
        self._running: Counter[str] = Counter()
        self._slow: Counter[str] = Counter()
        self._cooling: dict[str, float] = {}
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

    def cooling_down(self, client: str) -> float:
        """Seconds before ``client`` may query again after overflowing the slow lane (0 = may):
        while it still has a long-running query, or for a few seconds when the lane was full
        with other clients' queries."""
        with self._lock:
            until = self._cooling.get(client)
            if until is None:
                return 0.0
            left = until - time.monotonic()
            if self._slow[client] > 0:
                return max(left, 1.0)
            if left <= 0:
                del self._cooling[client]
                return 0.0
            return left

    def slow(self) -> int:
        """Queries in the slow lane now."""
        with self._lock:
            return sum(self._slow.values())

    def lane(self, client: str) -> SlowTicket:
        """The slow-lane ticket of one query from ``client``."""
        return SlowTicket(self, client)

    def _enter_slow(self, client: str) -> bool:
        with self._lock:
            full = (self.max_slow > 0 and sum(self._slow.values()) >= self.max_slow) or (
                self.max_slow_per_client > 0 and self._slow[client] >= self.max_slow_per_client
            )
            if full:
                own = self._slow[client] > 0  # then: until its own long query has ended
                self._cooling[client] = time.monotonic() + (0 if own else SLOW_LANE_COOLDOWN_S)
                return False
            self._slow[client] += 1
            return True

    def crowded(self, client: str) -> bool:
        """Whether ``client`` has as many long-running queries as it may."""
        with self._lock:
            return 0 < self.max_slow_per_client <= self._slow[client]

    def _leave_slow(self, client: str) -> None:
        with self._lock:
            self._slow[client] -= 1
            if self._slow[client] <= 0:
                del self._slow[client]


class SlowTicket:
    """One query's place in the slow lane: :meth:`enter` when it turns long-running,
    :meth:`leave` when it is over (any number of times)."""

    def __init__(self, limiter: ClientLimiter, client: str) -> None:
        self._limiter = limiter
        self.client = client
        self.after_s = limiter.slow_after_s
        self._inside = False
        self._lock = threading.Lock()

    def enter(self) -> bool:
        with self._lock:
            if not self._inside:
                self._inside = self._limiter._enter_slow(self.client)
            return self._inside

    def crowded(self) -> bool:
        """Whether this query's client already runs its share of long queries."""
        return self._limiter.crowded(self.client)

    def leave(self) -> None:
        with self._lock:
            if self._inside:
                self._inside = False
                self._limiter._leave_slow(self.client)


class AuthThrottle:
    """Wrong update tokens per client: after ``tries`` within ``lockout_s``, the client is
    refused (429) until ``lockout_s`` after its last wrong try, whatever token it sends."""

    def __init__(self, tries: int, lockout_s: float) -> None:
        self.tries = tries
        self.lockout_s = lockout_s
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def locked_for(self, client: str) -> float:
        """Seconds ``client`` must still wait (0 = it may try)."""
        if self.tries <= 0:
            return 0.0
        with self._lock:
            recent = self._recent(client)
            if len(recent) < self.tries:
                return 0.0
            return max(1.0, recent[-1] + self.lockout_s - time.monotonic())

    def failed(self, client: str) -> int:
        """Record a wrong token; how many ``client`` has tried within the window."""
        with self._lock:
            recent = self._recent(client)
            recent.append(time.monotonic())
            self._failures[client] = recent
            if len(self._failures) > 10_000:  # forget the stalest clients, not the memory
                for stale in sorted(self._failures, key=lambda c: self._failures[c][-1])[:5000]:
                    del self._failures[stale]
            return len(recent)

    def _recent(self, client: str) -> list[float]:
        now = time.monotonic()
        kept = [t for t in self._failures.get(client, []) if now - t < self.lockout_s]
        if kept:
            self._failures[client] = kept
        else:
            self._failures.pop(client, None)
        return kept
