"""A DNS server on loopback whose answers a test scripts, lookup by lookup (DNS rebinding, flaky DNS).

A *lookup* is one resolver call of a client: the C library sends its A and AAAA queries for one
``getaddrinfo`` (and its retries) from one UDP socket, so queries are grouped by the client's
address and port. The n-th lookup of a name gets the n-th entry of its script, the last entry
once the script is used up::

    with DNSServer({"rebind.test": ["8.8.8.8", "127.0.0.1"]}) as dns:   # public first, then loopback
        ...
    dns.lookups("rebind.test")   # how many lookups the name had

An entry is an IPv4 address (the A answer; AAAA answers are empty), ``SERVFAIL`` or ``NXDOMAIN``.
Only what a stub resolver asks is understood: one question, class IN, no EDNS.
"""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass

SERVFAIL = "SERVFAIL"
NXDOMAIN = "NXDOMAIN"
_RCODES = {SERVFAIL: 2, NXDOMAIN: 3}
TYPE_A = 1
TYPE_AAAA = 28


@dataclass(frozen=True)
class Query:
    client: tuple[str, int]
    name: str
    qtype: int
    answer: str  # the script entry it was answered with


def _parse_question(packet: bytes) -> tuple[int, int, str, int, bytes]:
    """(id, flags, name, qtype, the question section as sent)."""
    ident, flags, count = struct.unpack("!HHH", packet[:6])
    if count != 1:
        raise ValueError("one question expected")
    labels, i = [], 12
    while packet[i]:
        length = packet[i]
        labels.append(packet[i + 1 : i + 1 + length].decode("ascii"))
        i += 1 + length
    qtype, _qclass = struct.unpack("!HH", packet[i + 1 : i + 5])
    return ident, flags, ".".join(labels).lower(), qtype, packet[12 : i + 5]


def _reply(ident: int, flags: int, question: bytes, qtype: int, entry: str) -> bytes:
    rcode = _RCODES.get(entry, 0)
    answer = b""
    if rcode == 0 and qtype == TYPE_A:
        # A pointer to the name in the question, type A, class IN, TTL 0, the address.
        answer = b"\xc0\x0c" + struct.pack("!HHIH", TYPE_A, 1, 0, 4) + socket.inet_aton(entry)
    # QR, AA, RD copied, RA; the response code.
    header_flags = 0x8400 | (flags & 0x0100) | 0x0080 | rcode
    header = struct.pack("!HHHHHH", ident, header_flags, 1, 1 if answer else 0, 0, 0)
    return header + question + answer


class DNSServer:
    """UDP DNS on ``host:port`` (port 53 for the C library's resolver: it takes no port)."""

    def __init__(self, scripts: dict[str, list[str]], host: str = "127.0.0.1", port: int = 53) -> None:
        self.scripts = {name.lower(): list(entries) for name, entries in scripts.items()}
        self.queries: list[Query] = []
        self._lookups: dict[str, list[tuple[str, int]]] = {}  # name -> its clients, in order
        self._lock = threading.Lock()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind((host, port))
        self._socket.settimeout(0.1)  # how soon stop() is noticed
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="test-dns", daemon=True)

    def lookups(self, name: str) -> int:
        with self._lock:
            return len(self._lookups.get(name.lower(), []))

    def _entry(self, name: str, client: tuple[str, int]) -> str:
        script = self.scripts.get(name)
        if not script:
            return NXDOMAIN
        with self._lock:
            clients = self._lookups.setdefault(name, [])
            if client not in clients:
                clients.append(client)
            index = clients.index(client)
        return script[min(index, len(script) - 1)]

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                packet, client = self._socket.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                ident, flags, name, qtype, question = _parse_question(packet)
            except (ValueError, IndexError, struct.error, UnicodeError):
                continue
            entry = self._entry(name, client)
            with self._lock:
                self.queries.append(Query(client, name, qtype, entry))
            self._socket.sendto(_reply(ident, flags, question, qtype, entry), client)

    def start(self) -> DNSServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        self._socket.close()

    def __enter__(self) -> DNSServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
