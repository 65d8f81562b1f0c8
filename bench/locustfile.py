"""Load test: members log in, browse, open inquiries, save answer drafts and export results.

Run through `bench/loadtest`, which seeds the data (manage.py seed_scale), starts gunicorn
and the task worker, and prints the figures. By hand:

    .venv/bin/locust -f bench/locustfile.py --headless -u 100 -r 10 -t 5m \
        --host http://127.0.0.1:8765

Each simulated user logs in as its own scale account (m00000, m00001, …): the first 1,788
accounts belong to 1,788 different organizations, so no two users edit the same answer. Each
user also connects from its own loopback address (127.1.x.y), as members do from their own
networks, so allauth's per-IP login limit (30 a minute) applies per user, not to the test.

The test talks plain HTTP on the loopback, so bench/loadtest runs the production settings
with DJANGO_SECURE_COOKIES=false.

Environment:
    RENKEI_LOADTEST_PASSWORD        password of the scale accounts (renkei-scale-2026)
    RENKEI_LOADTEST_ACCOUNTS        how many accounts to cycle through (1788; at most the
                                    number of people seeded, e.g. 200 with --small)
    RENKEI_LOADTEST_EXPORT_INQUIRY  id of the inquiry to export (default: the first one on
                                    the 公開済みの結果 tab)
    RENKEI_LOADTEST_EXPORTS         exports in flight at once across all users (2; 0: none)
    RENKEI_LOADTEST_EXPORT_WAIT     seconds to wait for an export to finish (120)
    RENKEI_LOADTEST_WAIT_MIN/MAX    think time between a user's pages in seconds (1 and 5)
"""

import itertools
import os
import random
import re
import statistics
import time
from html.parser import HTMLParser

import gevent
from locust import HttpUser, between, events, task
from locust.clients import LocustHttpAdapter
from urllib3 import PoolManager

PASSWORD = os.environ.get("RENKEI_LOADTEST_PASSWORD", "renkei-scale-2026")
ACCOUNTS = int(os.environ.get("RENKEI_LOADTEST_ACCOUNTS", "1788"))
EXPORT_INQUIRY = os.environ.get("RENKEI_LOADTEST_EXPORT_INQUIRY", "")
EXPORTS_AT_ONCE = int(os.environ.get("RENKEI_LOADTEST_EXPORTS", "2"))
EXPORT_WAIT = float(os.environ.get("RENKEI_LOADTEST_EXPORT_WAIT", "120"))
WAIT_MIN = float(os.environ.get("RENKEI_LOADTEST_WAIT_MIN", "1"))
WAIT_MAX = float(os.environ.get("RENKEI_LOADTEST_WAIT_MAX", "5"))
LOGIN_PATH = "/accounts/login/"
SEARCH_WORDS = ["市", "町", "村", "北", "川", "山", "さっぽろ", "ふくしま", "なか", "ひがし"]

_accounts = itertools.count()
_organization_ids: list[str] = []
_exports = {"running": 0, "requested": 0, "ready": 0, "timed_out": 0, "waits": []}


class FormParser(HTMLParser):
    """Collect the fields a browser would send with the first form posting to `action`."""

    def __init__(self, action_suffix: str) -> None:
        super().__init__()
        self.action_suffix = action_suffix
        self.inside = False
        self.found = False
        self.fields: list[list[str]] = []
        self.textareas: list[int] = []
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if (
            tag == "form"
            and not self.found
            and values.get("action", "").endswith(self.action_suffix)
        ):
            self.inside = self.found = True
        if not self.inside:
            return
        name = values.get("name")
        if tag == "input" and name:
            kind = values.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("radio", "checkbox") and "checked" not in values:
                return
            self.fields.append([name, values.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea" and name:
            self.fields.append([name, ""])
            self._textarea = self.fields[-1]
            self.textareas.append(len(self.fields) - 1)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            if self._textarea is not None and self._textarea[1].startswith("\n"):
                self._textarea[1] = self._textarea[1][1:]
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside = False


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


class Member(HttpUser):
    """A member organization's staff: reads the directory and inquiries, saves a draft."""

    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        number = next(_accounts)
        self.username = f"m{number % ACCOUNTS:05d}"
        source = f"127.1.{number // 250 % 250}.{number % 250 + 1}"
        self.client.mount(
            "http://",
            LocustHttpAdapter(pool_manager=PoolManager(maxsize=4, source_address=(source, 0))),
        )
        self.open_inquiries: list[str] = []
        self.inquiries: list[str] = []
        self.exported = False
        self.login()
        self.inquiry_list()

    def login(self) -> None:
        page = self.client.get(LOGIN_PATH, name="login page")
        data = {
            "login": self.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_token(page.text),
        }
        with self.client.post(LOGIN_PATH, data=data, name="login", catch_response=True) as r:
            if r.status_code != 200 or LOGIN_PATH in r.url:
                r.failure(f"login as {self.username} failed ({r.status_code})")

    def page(self, path: str, name: str, **kwargs):
        """GET a page that must answer 200 without sending the user back to the login."""
        with self.client.get(path, name=name, catch_response=True, **kwargs) as r:
            if LOGIN_PATH in r.url:
                r.failure("sent to the login page")
                self.login()
            elif r.status_code != 200:
                r.failure(f"{r.status_code}")
            return r

    @task(3)
    def home(self) -> None:
        self.page("/", "home")

    @task(2)
    def organization_list(self) -> None:
        r = self.page("/organizations/", "organization list")
        if not _organization_ids and r.status_code == 200:
            _organization_ids.extend(set(re.findall(r'href="/organizations/(\d+)/"', r.text)))

    @task(2)
    def organization_search(self) -> None:
        word = random.choice(SEARCH_WORDS)
        self.page(f"/organizations/?q={word}&membership=member", "organization search")

    @task(3)
    def organization_detail(self) -> None:
        if not _organization_ids:
            self.organization_list()
            return
        self.page(f"/organizations/{random.choice(_organization_ids)}/", "organization page")

    @task(3)
    def inquiry_list(self) -> None:
        r = self.page("/inquiries/", "inquiry list")
        if r.status_code != 200:
            return
        open_part = r.text.split('id="past-heading"')[0]
        self.open_inquiries = sorted(set(re.findall(r'href="/inquiries/(\d+)/"', open_part)))
        self.inquiries = sorted(set(re.findall(r'href="/inquiries/(\d+)/"', r.text)))

    @task(1)
    def published_list(self) -> None:
        self.page("/inquiries/?tab=published", "inquiry list (published)")

    @task(3)
    def inquiry_detail(self) -> None:
        if self.inquiries:
            self.page(f"/inquiries/{random.choice(self.inquiries)}/", "inquiry page")

    @task(1)
    def polls(self) -> None:
        self.page("/polls/", "poll list")

    @task(2)
    def answer_draft(self) -> None:
        """Open the organization's answer to an open inquiry, change it and save a draft."""
        if not self.open_inquiries:
            return
        pk = random.choice(self.open_inquiries)
        path = f"/inquiries/{pk}/answer/"
        r = self.page(path, "answer form")
        if r.status_code != 200:
            return
        form = FormParser(path)
        form.feed(r.text)
        if not form.found:
            return  # past its deadline: the page shows the answer read-only
        fields = form.fields
        questions = [i for i in form.textareas if re.fullmatch(r"q\d+", fields[i][0])]
        if questions:
            field = fields[random.choice(questions)]
            field[1] = f"負荷試験で保存（{self.username} {time.strftime('%H:%M:%S')}）"
        data = [*[tuple(f) for f in fields], ("intent", "save")]
        with self.client.post(path, data=data, name="answer save", catch_response=True) as saved:
            if saved.status_code != 200 or not saved.history:
                saved.failure(f"{saved.status_code}: draft not saved")

    @task(1)
    def export(self) -> None:
        """Request an export of a results page, wait for the worker and download it."""
        if self.exported or _exports["running"] >= EXPORTS_AT_ONCE:
            return
        pk = EXPORT_INQUIRY or self._published_inquiry()
        if not pk:
            return
        self.exported = True
        _exports["running"] += 1
        try:
            self._export(pk)
        finally:
            _exports["running"] -= 1

    def _published_inquiry(self) -> str:
        r = self.page("/inquiries/?tab=published", "inquiry list (published)")
        found = re.findall(r'href="/inquiries/(\d+)/"', r.text)
        return found[0] if found else ""

    def _export(self, pk: str) -> None:
        listing = self.page(f"/inquiries/{pk}/exports/", "export list")
        if listing.status_code != 200:
            return
        data = {"format": "xlsx", "csrfmiddlewaretoken": csrf_token(listing.text)}
        with self.client.post(
            f"/inquiries/{pk}/exports/", data=data, name="export request", catch_response=True
        ) as r:
            match = re.search(r"/exports/(\d+)/", r.url)
            if r.status_code != 200 or not match:
                r.failure(f"{r.status_code}: export not requested")
                return
        _exports["requested"] += 1
        detail = f"/inquiries/{pk}/exports/{match.group(1)}/"
        started = time.monotonic()
        while time.monotonic() - started < EXPORT_WAIT:
            gevent.sleep(1)
            progress = self.page(detail, "export progress", headers={"HX-Request": "true"})
            if "download/" in progress.text:
                _exports["ready"] += 1
                _exports["waits"].append(time.monotonic() - started)
                self.page(detail + "download/", "export download")
                return
            if "失敗" in progress.text:
                break
        _exports["timed_out"] += 1


@events.test_stop.add_listener
def _export_summary(**_kwargs) -> None:
    waits = _exports["waits"]
    median = f"{statistics.median(waits):.1f} s" if waits else "-"
    waiting = _exports["requested"] - _exports["ready"] - _exports["timed_out"]
    print(
        f"exports: requested {_exports['requested']}, downloaded {_exports['ready']} "
        f"(median wait {median}), failed or not ready in {EXPORT_WAIT:.0f} s "
        f"{_exports['timed_out']}, still waiting when the test stopped {waiting}",
        flush=True,
    )
