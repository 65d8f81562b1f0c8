"""`make run`'s script: the demo serves pages and shows every mail in its terminal."""

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = Path(sys.executable)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Output:
    """The lines a process prints, read on a thread so the process never blocks on its pipe."""

    def __init__(self, stream) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put(line)

    def wait_for(self, text: str, *, timeout: float) -> str:
        """Return everything printed up to the first line containing `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return "".join(self.seen)
        raise AssertionError(f"{text!r} not printed within {timeout} s:\n{''.join(self.seen)}")


def _status(url: str, *, timeout: float) -> int:
    """Return the status of a GET, waiting for the server to start listening."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def demo(tmp_path):
    """Start scripts/run-demo on a fresh SQLite file and a free port; stop it afterwards."""
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "RENKEI_", "DATABASE_URL"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        RENKEI_DEMO_PORT=str(port),
        PATH=f"{PYTHON.parent}:{env.get('PATH', '')}",
    )
    process = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "run-demo")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = Output(process.stdout)
    try:
        yield port, env, output
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_demo_prints_logins_serves_pages_and_shows_mail_in_the_terminal(demo):
    port, env, output = demo
    startup = output.wait_for(f"http://127.0.0.1:{port}/", timeout=120)
    assert "jimukyoku" in startup
    assert "renkei-demo-2026" in startup
    assert _status(f"http://127.0.0.1:{port}/healthz", timeout=30) == 200

    # Queue a mail the way every feature does; the demo's worker must print it readably.
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "manage.py",
            "shell",
            "-c",
            "from django.db import transaction\n"
            "from renkei.mailer.services import mail_queue\n"
            "with transaction.atomic():\n"
            "    mail_queue(to=[('当別 次郎', 'tobetsu@example.lg.jp')], template='notice',\n"
            "               context={'subject': 'デモ用の確認メール', 'body': '招待リンクはこちら'})\n",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    mail = output.wait_for("招待リンクはこちら", timeout=60)
    assert "件名: デモ用の確認メール" in mail
    assert "tobetsu@example.lg.jp" in mail
