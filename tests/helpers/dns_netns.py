"""Run a test inside a network namespace whose DNS server is the test's own.

A test of DNS rebinding needs answers the test controls, given to the C library's resolver, and a
"public" address that no packet can really reach. A fresh network namespace gives both: only
``lo`` exists (a connection to 8.8.8.8 fails at once, "network unreachable"), and in a mount
namespace of its own ``/etc/resolv.conf`` is bind-mounted to name ``127.0.0.1``, where the test
runs ``tests.helpers.dns.DNSServer``. Nothing outside the namespace sees either.

A test calls ``reran_in_netns()`` first: outside a namespace it runs this very test again, inside
one (``unshare --mount --net``, root needed), checks that it passed and returns True, and the test
returns; inside, it returns False and the test goes on::

    def test_something(tmp_path):
        if reran_in_netns():
            return
        with DNSServer({...}):
            ...
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.helpers.paths import REPO_ROOT

INSIDE = "MONITOR_TEST_IN_NETNS"
RESOLV_CONF = "nameserver 127.0.0.1\noptions attempts:1 timeout:5\n"
INNER_TIMEOUT = 240  # catches a hung inner run only (below pytest-timeout), not part of what is tested

_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1


def inside() -> bool:
    return os.environ.get(INSIDE) == "1"


def reran_in_netns() -> bool:
    """Outside: run the current test in a new network namespace, fail if it fails there; True.
    Inside: False."""
    if inside():
        interfaces = [name for _index, name in socket.if_nameindex()]
        assert interfaces == ["lo"], f"{INSIDE}=1 outside a fresh network namespace: {interfaces}"
        return False
    unshare = shutil.which("unshare")
    if unshare is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare(1) for a network namespace (the CI runs as root)")
    probe = subprocess.run([unshare, "--mount", "--net", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a network namespace here: {probe.stderr.strip()}")
    nodeid = os.environ["PYTEST_CURRENT_TEST"].rsplit(" ", 1)[0]
    command = [unshare, "--mount", "--net", sys.executable, "-m", "tests.helpers.dns_netns"]
    command += ["-q", "-p", "no:cacheprovider", "-p", "no:randomly", nodeid]
    result = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=INNER_TIMEOUT, env={**os.environ, INSIDE: "1"}
    )
    if result.returncode != 0:
        pytest.fail(f"in a network namespace:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}", pytrace=False)
    if " passed" not in result.stdout:
        pytest.fail(f"in a network namespace, the test did not run:\n{result.stdout[-3000:]}", pytrace=False)
    return True


def _loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | _IFF_UP))


def _bind_over(target: str, text: str) -> None:
    """``target`` reads ``text`` in this mount namespace only."""
    handle, path = tempfile.mkstemp(prefix="netns-", suffix=".conf")
    with os.fdopen(handle, "w") as file:
        file.write(text)
    subprocess.run(["mount", "--bind", path, target], check=True)
    os.unlink(path)  # the mount keeps the file's content


def _resolver_is_ours() -> None:
    """resolv.conf names our server; host names are looked up in /etc/hosts and DNS only, not
    through a resolver daemon (systemd-resolved's NSS module would ask the host's DNS)."""
    _bind_over("/etc/resolv.conf", RESOLV_CONF)
    nsswitch = Path("/etc/nsswitch.conf")
    lines = nsswitch.read_text().splitlines() if nsswitch.exists() else []
    kept = [line for line in lines if not line.split(":", 1)[0].strip() == "hosts"]
    if nsswitch.exists():
        _bind_over(str(nsswitch), "\n".join([*kept, "hosts: files dns"]) + "\n")


def main(argv: list[str]) -> None:
    """Inside ``unshare --mount --net``: ``lo`` up, our resolv.conf, then pytest with ``argv``."""
    if not inside():
        raise SystemExit("run by reran_in_netns() only: it would bind-mount /etc/resolv.conf")
    _loopback_up()
    _resolver_is_ours()
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *argv])  # noqa: S606 - no shell wanted


if __name__ == "__main__":
    main(sys.argv[1:])
