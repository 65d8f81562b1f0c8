"""Two app servers behind one (simulated) reverse proxy, sharing one PostgreSQL.

Two gunicorn instances run the production settings against the test database. Clients send
pages round-robin through a tiny proxy that, like nginx's `proxy_next_upstream error`, tries the
other server when a connection is refused. Midway one server is killed (SIGKILL, a crash); only
the requests in flight on it at that moment may fail. Sessions live in the database, so a
member's session works on either server.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CLIENTS = 4
RUN_SECONDS = 12.0
KILL_AFTER = 5.0
PAGES = ["/", "/organizations/", "/inquiries/", "/polls/"]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several app servers share a PostgreSQL database in production; SQLite is one file "
    "for one server",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn on {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn on {port} did not start in {timeout} s")


@dataclass
class Tally:
    """What the clients saw."""

    served: dict[int, int] = field(default_factory=dict)  # port -> pages answered 200
    failures: list[tuple[float, int, str]] = field(default_factory=list)  # (time, port, what)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, port: int) -> None:
        with self.lock:
            self.served[port] = self.served.get(port, 0) + 1

    def failed(self, when: float, port: int, what: str) -> None:
        with self.lock:
            self.failures.append((when, port, what))


def _get(port: int, path: str, cookie: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.fixture
def member_cookie(transactional_db, council) -> str:
    """A logged-in member's session, stored in the shared database."""
    user = council.staff
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Start two gunicorn instances on loopback with the production settings."""
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base"},
    )
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the test's sessions must verify there
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "RENKEI_MEDIA_ROOT": str(tmp_path / "media"),
    }
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
            start_new_session=True,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_listening(port, process)
        yield list(zip(ports, processes, strict=True))
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


def test_one_server_dies_and_only_its_requests_in_flight_fail(servers, member_cookie):
    (port_a, process_a), (port_b, _process_b) = servers
    for port in (port_a, port_b):  # the same session is valid on both servers
        assert _get(port, "/", member_cookie) == 200
    tally = Tally()
    start = time.monotonic()
    stop = start + RUN_SECONDS
    down: set[int] = set()

    def client(number: int) -> None:
        turn = number
        while time.monotonic() < stop:
            order = [port_a, port_b] if turn % 2 == 0 else [port_b, port_a]
            turn += 1
            path = PAGES[turn % len(PAGES)]
            for port in [p for p in order if p not in down]:
                try:
                    status = _get(port, path, member_cookie)
                except ConnectionRefusedError:
                    down.add(port)  # the proxy marks the server down and tries the next one
                    continue
                except (ConnectionError, http.client.HTTPException, TimeoutError) as error:
                    tally.failed(time.monotonic() - start, port, type(error).__name__)
                    # A reset also takes the server out of the proxy's rotation (nginx's
                    # max_fails=1): while a killed gunicorn's workers die one by one, the
                    # kernel may still accept a new connection and reset it, and a proxy
                    # does not send the next request there.
                    down.add(port)
                    break
                if status == 200:
                    tally.ok(port)
                else:
                    tally.failed(time.monotonic() - start, port, f"HTTP {status} {path}")
                break

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(KILL_AFTER)
    served_before_kill = dict(tally.served)
    os.killpg(process_a.pid, signal.SIGKILL)
    killed_at = time.monotonic() - start
    process_a.wait(timeout=10)
    for thread in threads:
        thread.join()

    print(
        f"\ntwo app servers: served {tally.served} (A={port_a} killed at {killed_at:.1f} s), "
        f"failures {tally.failures}"
    )
    assert served_before_kill.get(port_a, 0) > 0
    assert served_before_kill.get(port_b, 0) > 0
    assert tally.served[port_b] > served_before_kill[port_b]
    # Only requests in flight on the killed server, at the moment it died, may fail.
    assert len(tally.failures) <= CLIENTS
    for when, port, _what in tally.failures:
        assert port == port_a
        assert killed_at - 0.5 <= when <= killed_at + 5
