"""The network sandbox: code that evaluates queries can only connect to allow-listed endpoints.

This is the second line behind :mod:`server.guard`. pyoxigraph makes its SERVICE (and LOAD)
requests from Rust, with its own HTTP client, so nothing at the Python level (patching
``socket``) would see them; the check has to be in the kernel. A seccomp filter, installed in
each query worker process (and in the thread that applies a token holder's update), hands
every ``connect()`` to a supervisor thread in the server process (seccomp user notification,
Linux ≥ 5.5). The supervisor reads the destination address from the caller's memory and lets
the call go on only if it is an address and port of an allow-listed endpoint (resolved through
DNS, and then the resolver's own port 53, which the lookup needs). Everything else fails with
``EACCES``, whatever is listening there, so error messages no longer tell open ports from
closed ones; the blocked destination is recorded so the request is answered with 403.

``io_uring_setup`` is refused too (its ``connect`` would not pass through the filter).
Connections that are not IPv4/IPv6 (Unix sockets, netlink) are let through: they reach no
host. Where seccomp is not available (not Linux, an unknown CPU, a kernel without user
notification) the workers run without the sandbox and the server logs a warning.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import ipaddress
import logging
import os
import platform
import select
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

log = logging.getLogger("diplograph.server")

T = TypeVar("T")


class SandboxUnavailable(Exception):
    """seccomp user notification cannot be set up here (the reason is the message)."""


@dataclass(frozen=True)
class _Arch:
    audit: int
    connect: int
    seccomp: int
    io_uring_setup: int
    x32_bit: bool


_ARCHES = {
    "x86_64": _Arch(0xC000003E, 42, 317, 425, True),
    "aarch64": _Arch(0xC00000B7, 203, 277, 425, False),
}

# linux/seccomp.h, linux/filter.h
_PR_SET_NO_NEW_PRIVS = 38
_SET_MODE_FILTER = 1
_FLAG_NEW_LISTENER = 1 << 3
_RET_ALLOW = 0x7FFF0000
_RET_USER_NOTIF = 0x7FC00000
_RET_ERRNO = 0x00050000
_LD_ABS_W = 0x20
_JEQ = 0x15
_JGE = 0x35
_RET = 0x06
_NOTIF_RECV = 0xC0502100  # _IOWR('!', 0, struct seccomp_notif)
_NOTIF_SEND = 0xC0182101  # _IOWR('!', 1, struct seccomp_notif_resp)
_NOTIF_ID_VALID = 0x40082102  # _IOW('!', 2, __u64)
_FLAG_CONTINUE = 1
_NOTIF = struct.Struct("<QIIiIQ6Q")  # id, pid, flags, nr, arch, ip, args[6]


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _arch() -> _Arch:
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(f"seccomp needs Linux (this is {sys.platform})")
    found = _ARCHES.get(platform.machine())
    if found is None:
        raise SandboxUnavailable(f"no seccomp filter for the CPU '{platform.machine()}'")
    return found


def _program(arch: _Arch) -> list[tuple[int, int, int, int]]:
    """connect → supervisor; io_uring_setup → EPERM; another ABI → EPERM; the rest runs."""
    deny = _RET_ERRNO | errno.EPERM
    prog = [
        (_LD_ABS_W, 0, 0, 4),  # seccomp_data.arch
        (_JEQ, 1, 0, arch.audit),
        (_RET, 0, 0, deny),
        (_LD_ABS_W, 0, 0, 0),  # seccomp_data.nr
    ]
    if arch.x32_bit:
        prog += [(_JGE, 0, 1, 0x40000000), (_RET, 0, 0, deny)]
    prog += [
        (_JEQ, 0, 1, arch.connect),
        (_RET, 0, 0, _RET_USER_NOTIF),
        (_JEQ, 0, 1, arch.io_uring_setup),
        (_RET, 0, 0, deny),
        (_RET, 0, 0, _RET_ALLOW),
    ]
    return prog


def confine() -> int:
    """Install the filter on the calling thread (and what it starts); return the listener fd
    the supervisor watches. Raises :class:`SandboxUnavailable` where it cannot be done."""
    arch = _arch()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxUnavailable(f"prctl(NO_NEW_PRIVS): {os.strerror(ctypes.get_errno())}")
    rows = _program(arch)
    filters = (_SockFilter * len(rows))(*[_SockFilter(*row) for row in rows])
    prog = _SockFprog(len(rows), filters)
    fd = libc.syscall(
        ctypes.c_long(arch.seccomp),
        ctypes.c_long(_SET_MODE_FILTER),
        ctypes.c_long(_FLAG_NEW_LISTENER),
        ctypes.byref(prog),
    )
    if fd < 0:
        raise SandboxUnavailable(f"seccomp: {os.strerror(ctypes.get_errno())}")
    return int(fd)


def allowed_endpoints(allowlist: Sequence[str]) -> list[tuple[str, int]]:
    """Host and port of each allow-listed endpoint URL."""
    out = []
    for url in allowlist:
        parts = urlsplit(url.strip())
        if parts.hostname:
            default = 443 if parts.scheme.lower() == "https" else 80
            out.append((parts.hostname, parts.port or default))
    return out


def _nameservers() -> set[str]:
    try:
        text = Path("/etc/resolv.conf").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    found = set()
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver":
            with contextlib.suppress(ValueError):
                found.add(str(ipaddress.ip_address(fields[1].split("%")[0])))
    return found


class Supervisor:
    """Decides every ``connect()`` of the confined workers and threads; one daemon thread."""

    RESOLVE_EVERY_S = 5.0

    def __init__(self, allowlist: Sequence[str]) -> None:
        self._endpoints = allowed_endpoints(allowlist)
        self._allowed: set[tuple[str, int]] = set()
        self._resolved_at = 0.0
        self._dns: set[tuple[str, int]] = set()
        if any(not _is_ip(host) for host, _ in self._endpoints):
            self._dns = {(ip, 53) for ip in _nameservers()}
        self._lock = threading.Lock()
        self._fds: set[int] = set()
        self._poll = select.poll()
        self._blocked: dict[int, list[str]] = {}
        self.blocked_total = 0
        self._closed = False
        self._wake_r, self._wake_w = os.pipe()
        self._poll.register(self._wake_r, select.POLLIN)
        self._thread = threading.Thread(target=self._run, name="diplograph-sandbox", daemon=True)
        self._thread.start()

    def watch(self, fd: int) -> None:
        """Decide the connects of the filter behind listener ``fd`` (closed when it hangs up)."""
        with self._lock:
            if self._closed:
                os.close(fd)
                return
            self._fds.add(fd)
            self._poll.register(fd, select.POLLIN)
        os.write(self._wake_w, b"x")

    def take_blocked(self, tgid: int) -> list[str]:
        """Destinations refused to process ``tgid`` since the last call (then forgotten)."""
        with self._lock:
            return self._blocked.pop(tgid, [])

    def run_confined(self, fn: Callable[[], T]) -> T:
        """``fn()`` in a new thread that can only connect where the allow-list says."""
        outcome: dict[str, object] = {}

        def confined() -> None:
            try:
                self.watch(confine())
                outcome["value"] = fn()
            except BaseException as exc:  # re-raised in the caller's thread
                outcome["error"] = exc

        thread = threading.Thread(target=confined, name="diplograph-confined")
        thread.start()
        thread.join()
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        return outcome["value"]  # type: ignore[return-value]

    def close(self) -> None:
        with self._lock:
            self._closed = True
        os.write(self._wake_w, b"x")
        self._thread.join(5)

    # ---- the supervisor thread --------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._closed:
                for fd, events in self._poll.poll(1000):
                    if fd == self._wake_r:
                        os.read(self._wake_r, 4096)
                    elif events & select.POLLIN:
                        self._handle(fd)
                    elif events & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
                        self._forget(fd)
        finally:
            with self._lock:
                fds = list(self._fds)
            for fd in fds:  # connects still waiting on these fail (ENOSYS): closed, not open
                self._forget(fd)
            os.close(self._wake_r)
            os.close(self._wake_w)

    def _forget(self, fd: int) -> None:
        with self._lock:
            if fd not in self._fds:
                return
            self._fds.discard(fd)
        with contextlib.suppress(KeyError, ValueError):
            self._poll.unregister(fd)
        os.close(fd)

    def _handle(self, fd: int) -> None:
        buf = bytearray(_NOTIF.size)
        try:
            fcntl.ioctl(fd, _NOTIF_RECV, buf, True)
        except OSError:  # the caller died in between, or the filter is gone
            return
        nid, tid, _flags, _nr, _arch, _ip, *args = _NOTIF.unpack(buf)
        destination = self._destination(tid, args[1], args[2])
        allow = destination is None or self._allows(destination)
        try:  # the memory read must have been of the caller still waiting
            fcntl.ioctl(fd, _NOTIF_ID_VALID, bytearray(struct.pack("<Q", nid)), True)
        except OSError:
            return
        if not allow and destination is not None:
            where = f"{destination[0]}:{destination[1]}"
            log.warning("sandbox: refused a connection to %s (not in service_allowlist)", where)
            with self._lock:
                self._blocked.setdefault(_tgid(tid), []).append(where)
                self.blocked_total += 1
        response = struct.pack(
            "<QqiI", nid, 0, 0 if allow else -errno.EACCES, _FLAG_CONTINUE if allow else 0
        )
        with contextlib.suppress(OSError):
            fcntl.ioctl(fd, _NOTIF_SEND, bytearray(response), True)

    def _destination(self, tid: int, address: int, length: int) -> tuple[str, int] | None:
        """The IP and port being connected to; ``None`` for a family that reaches no host.
        An unreadable address is a refusal (``("?", 0)``)."""
        try:
            mem = os.open(f"/proc/{tid}/mem", os.O_RDONLY)
            try:
                raw = os.pread(mem, max(0, min(int(length), 128)), int(address))
            finally:
                os.close(mem)
        except (OSError, OverflowError, ValueError):
            return ("?", 0)
        if len(raw) < 2:
            return ("?", 0)
        family = struct.unpack_from("=H", raw)[0]
        if family == socket.AF_INET and len(raw) >= 8:
            port = struct.unpack_from("!H", raw, 2)[0]
            return (str(ipaddress.IPv4Address(raw[4:8])), port)
        if family == socket.AF_INET6 and len(raw) >= 24:
            port = struct.unpack_from("!H", raw, 2)[0]
            ip6 = ipaddress.IPv6Address(raw[8:24])
            mapped = ip6.ipv4_mapped
            return (str(mapped if mapped is not None else ip6), port)
        if family in (socket.AF_INET, socket.AF_INET6):
            return ("?", 0)
        return None  # AF_UNIX, AF_NETLINK, AF_UNSPEC (disconnect): no host is reached

    def _allows(self, destination: tuple[str, int]) -> bool:
        if destination in self._dns:
            return True
        if destination in self._allowed:
            return True
        if time.monotonic() - self._resolved_at >= self.RESOLVE_EVERY_S:
            self._allowed = self._resolve()
            self._resolved_at = time.monotonic()
        return destination in self._allowed

    def _resolve(self) -> set[tuple[str, int]]:
        found: set[tuple[str, int]] = set()
        for host, port in self._endpoints:
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as exc:
                log.warning("sandbox: cannot resolve allow-listed host %s: %s", host, exc)
                continue
            for info in infos:
                ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
                if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
                    ip = ip.ipv4_mapped
                found.add((str(ip), port))
        return found


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _tgid(tid: int) -> int:
    """The process a thread belongs to (notifications name the calling thread)."""
    try:
        for line in Path(f"/proc/{tid}/status").read_text().splitlines():
            if line.startswith("Tgid:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return tid
