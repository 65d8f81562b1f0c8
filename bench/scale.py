"""Pages at national scale under load: `bench/run --scale`.

Seeds (or reuses) a PostgreSQL database with `seed_scale`, serves it with gunicorn and the
production settings on loopback, and measures each page's throughput with wrk, alternating with
`/healthz` (the cheapest request through the same server) so that both see the same machine.
Each line reads `bench scale_<page> rps=… healthz_rps=… ratio=… target=0.2 ok|FAIL kb=…`:
the page's requests per second as a share of /healthz's. A page that answers anything but 200,
or weighs over 150 KB, fails too.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
TARGET = 0.2
MAX_KB = 150
RESULTS = Path(__file__).with_name("results-scale.md")


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    who: str  # "member" or "secretariat"


def _run(*args: str, env: dict[str, str]) -> None:
    subprocess.run(list(args), cwd=ROOT, env=env, check=True)


def _psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def database_prepare(*, name: str, reuse: bool, small: bool, env: dict[str, str]) -> None:
    """Create and seed the scale database unless `reuse` finds it seeded already."""
    exists = _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
    if reuse and exists and _psql("SELECT count(*) FROM directory_person", name) not in ("", "0"):
        print(f"# reusing the seeded database {name}", flush=True)
        return
    _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    _run(str(PY), "manage.py", "migrate", "--noinput", "-v", "0", env=env)
    seed = [str(PY), "manage.py", "seed_scale", "--seed", "1", *(["--small"] if small else [])]
    # The data generators exist in the development settings only, and only with DEBUG on.
    development = {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings.development",
        "DJANGO_DEBUG": "true",
    }
    _run(*seed, env=development)


def cases_and_sessions(env: dict[str, str]) -> tuple[list[Case], dict[str, str]]:
    """Find the pages to measure in the seeded data and log a member and the secretariat in."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from renkei.accounts.models import Role, User
    from renkei.devdata.scale_activity import BIG_BOARD_NAME, BIG_EVENT_TITLE, BIG_THREAD_TITLE
    from renkei.events.models import Event
    from renkei.forum.models import POSTS_PER_PAGE, Board, Thread
    from renkei.inquiries.models import Inquiry, InquiryStatus
    from renkei.polls.models import Poll

    def session_for(user: User) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    member = User.objects.get(username="m00000")
    secretariat = User.objects.filter(role=Role.SECRETARIAT).order_by("pk").first()
    big = Inquiry.objects.filter(title__startswith="【全団体調査】")
    published = big.filter(status=InquiryStatus.PUBLISHED).order_by("pk").first()
    # --small has one big inquiry (published); the full set also has an open one.
    open_big = big.filter(status=InquiryStatus.OPEN).order_by("pk").first() or published
    poll = Poll.objects.order_by("-pk").first()
    big_event = Event.objects.get(title=BIG_EVENT_TITLE)
    big_board = Board.objects.get(name=BIG_BOARD_NAME)
    big_thread = Thread.objects.get(title=BIG_THREAD_TITLE)
    thread_last_page = -(-big_thread.post_count // POSTS_PER_PAGE)
    cases = [
        # The floor: base.html for a logged-in member, through the whole middleware chain.
        Case("baseline", "/bench/baseline/", "member"),
        Case("home", reverse("home"), "member"),
        Case("organization_list", reverse("directory:organization_list"), "member"),
        Case(
            "organization_search",
            reverse("directory:organization_list") + "?q=" + quote("北"),
            "member",
        ),
        Case("people_search", reverse("directory:person_list") + "?q=" + quote("佐藤"), "member"),
        Case("inquiry_list", reverse("inquiries:list"), "member"),
        Case("inquiry_detail", reverse("inquiries:detail", args=[published.pk]), "member"),
        Case("compilation", reverse("inquiries:compilation", args=[published.pk]), "member"),
        Case("matrix", reverse("inquiries:compilation_matrix", args=[published.pk]), "member"),
        Case("poll_list", reverse("polls:index"), "member"),
        Case("poll_detail", reverse("polls:detail", args=[poll.pk]), "member"),
        Case("progress", reverse("inquiries:progress", args=[open_big.pk]), "secretariat"),
        Case("notifications", reverse("notifications"), "member"),
        Case("announcement_list", reverse("announcements:list"), "member"),
        Case("event_list", reverse("events:list"), "member"),
        Case("event_detail", reverse("events:detail", args=[big_event.pk]), "member"),
        Case(
            "event_registrations",
            reverse("events:registrations", args=[big_event.pk]),
            "secretariat",
        ),
        Case("meeting_list", reverse("meetings:list"), "member"),
        Case("forum_index", reverse("forum:index"), "member"),
        Case("forum_board", reverse("forum:board", args=[big_board.pk]), "member"),
        Case(
            "forum_thread_last_page",
            reverse("forum:thread", args=[big_thread.pk]) + f"?page={thread_last_page}",
            "member",
        ),
    ]
    return cases, {"member": session_for(member), "secretariat": session_for(secretariat)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, *, cookie: str, seconds: int, connections: int) -> tuple[float, int]:
    """Return (requests per second, responses that were not 2xx/3xx) for one wrk run."""
    drain(url.split("/", 3)[:3])
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, int(bad.group(1)) if bad else 0


def drain(scheme_host: list[str]) -> None:
    """Wait until the server has answered what an earlier run left queued (sync workers finish
    every accepted request even after wrk hangs up), so each run starts on an idle server."""
    import urllib.request

    url = "/".join(scheme_host) + "/healthz"
    deadline = time.monotonic() + 300
    while True:
        started = time.monotonic()
        with urllib.request.urlopen(url, timeout=300) as response:
            response.read()
        if time.monotonic() - started < 0.5 or time.monotonic() > deadline:
            return


def page_size(url: str, cookie: str) -> tuple[int, int]:
    """Return (status, KB of HTML) of one GET, redirects not followed."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, len(response.read()) // 1024
    except urllib.error.HTTPError as error:
        return error.code, 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_SCALE_DATABASE", "renkei_benchscale")
    )
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument(
        "--small", action="store_true", help="seed_scale --small (still 1,788 organizations)"
    )
    parser.add_argument("--seconds", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="measure only the cases whose name contains this")
    args = parser.parse_args()
    if "scale" not in args.database and "bench" not in args.database:
        parser.error(
            "the database name must contain 'scale' or 'bench': it is dropped and re-created"
        )
    if not shutil.which("wrk"):
        print("bench/run --scale needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "DJANGO_DEBUG": "false",
    }
    database_prepare(name=args.database, reuse=args.reuse, small=args.small, env=env)
    _run(str(PY), "manage.py", "collectstatic", "--noinput", "-v", "0", env=env)
    cases, cookies = cases_and_sessions(env)
    from django.conf import settings

    port = _free_port()
    server_env = {
        **env,
        # The production settings, plus the trivial baseline page (bench/urls.py).
        "DJANGO_SETTINGS_MODULE": "bench.settings_scale",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
        ],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # The task worker compiles summaries the pages ask for, as in production.
    worker = subprocess.Popen(
        [str(PY), "manage.py", "db_worker", "--no-reload", "--interval", "1", "-v", "0"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    status = 0
    lines: list[str] = []
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        lines.append(
            f"# seed_scale{' --small' if args.small else ''} on PostgreSQL; gunicorn "
            f"{args.workers} workers; wrk {args.connections} connections, {args.seconds} s a run"
        )
        print(lines[-1], flush=True)
        for case in cases:
            if args.only and args.only not in case.name:
                continue
            cookie = cookies[case.who]
            code, kb = page_size(base + case.path, cookie)
            if case.name == "compilation":
                time.sleep(5)  # let the worker compile what the first view asked for
                code, kb = page_size(base + case.path, cookie)
            # Warm the workers, then healthz, page, healthz: both see the same machine.
            wrk(base + case.path, cookie=cookie, seconds=1, connections=args.connections)
            before, _ = wrk(
                base + "/healthz", cookie=cookie, seconds=args.seconds, connections=args.connections
            )
            rps, bad = wrk(
                base + case.path, cookie=cookie, seconds=args.seconds, connections=args.connections
            )
            after, _ = wrk(
                base + "/healthz", cookie=cookie, seconds=args.seconds, connections=args.connections
            )
            healthz = (before + after) / 2
            ratio = rps / healthz if healthz else 0.0
            ok = ratio >= TARGET and code == 200 and not bad and kb <= MAX_KB
            status |= 0 if ok else 1
            lines.append(
                f"bench scale_{case.name} rps={rps:.1f} healthz_rps={healthz:.1f} "
                f"ratio={ratio:.3f} target={TARGET} {'ok' if ok else 'FAIL'} kb={kb} "
                f"status={code}{f' errors={bad}' if bad else ''}"
            )
            print(lines[-1], flush=True)
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    if not args.only:
        RESULTS.write_text(
            "# Pages at national scale (`bench/run --scale`)\n\n"
            f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}\n"
            f"- machine: {os.cpu_count()} cores\n"
            "- each ratio: the page's requests per second / /healthz's, measured alternately\n\n"
            "```\n" + "\n".join(lines) + "\n```\n",
            encoding="utf-8",
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
