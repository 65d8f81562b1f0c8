"""Failed-login throttling with backoff, kept in the shared (database) cache.

Three scopes count failures: the pair (client address, user ID), the user ID from anywhere,
and the client address over all user IDs. Each has free failures (LOGIN_THROTTLE); after
them, every further failure makes the scope wait before its next attempt, doubling each time
up to a ceiling. There is no hard lock: someone who guesses wrong from one address slows
down only that address's attempts at that user ID, so a colleague behind the same LGWAN
gateway and the user at their own desk still log in. Successful logins never count, so a
whole prefecture logging in at 9:00 through one address is never throttled.

The state lives in the default cache, which is the database cache shared by every web
process. Waits are also noted in an index, so the secretariat can list and lift them.
"""

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from renkei.accounts.models import User
from renkei.audit.models import Action
from renkei.audit.services import audit_record
from renkei.core.client_address import client_address

PREFIX = "login-throttle"
INDEX_KEY = f"{PREFIX}:index"


class Scope:
    PAIR = "pair"
    ACCOUNT = "account"
    ADDRESS = "address"


SCOPE_LABELS = {
    Scope.PAIR: "アドレスとユーザーID",
    Scope.ACCOUNT: "ユーザーID（全アドレス）",
    Scope.ADDRESS: "アドレス（全ユーザーID）",
}


@dataclass(frozen=True)
class LoginWait:
    """A scope that must wait before its next login attempt."""

    key: str
    scope: str
    username: str
    address: str
    failures: int
    until: float

    @property
    def scope_label(self) -> str:
        return SCOPE_LABELS[self.scope]

    @property
    def until_at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.until, tz=dt.UTC)

    @property
    def seconds_left(self) -> int:
        return max(0, int(self.until - time.time() + 0.999))


def normalize_username(username: str) -> str:
    """Return the user ID as logins compare it (allauth lowercases user IDs)."""
    return str(username or "").strip().lower()[:150]


def _key(scope: str, *parts: str) -> str:
    # Hashed: user IDs may hold any character, and cache keys must stay short and plain.
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"{PREFIX}:{scope}:{digest}"


def _scopes(*, username: str, address: str) -> list[tuple[str, str, str, str, int]]:
    """Return (key, scope, username, address, free failures) for every scope of an attempt."""
    rules = settings.LOGIN_THROTTLE
    return [
        (
            _key(Scope.PAIR, address, username),
            Scope.PAIR,
            username,
            address,
            rules["FAILED_LIMIT"],
        ),
        (_key(Scope.ACCOUNT, username), Scope.ACCOUNT, username, "", rules["ACCOUNT_FAILED_LIMIT"]),
        (_key(Scope.ADDRESS, address), Scope.ADDRESS, "", address, rules["ADDRESS_FAILED_LIMIT"]),
    ]


def backoff_seconds(*, failures: int, free: int) -> int:
    """Return how long to wait after this many failures, when `free` of them cost nothing."""
    rules = settings.LOGIN_THROTTLE
    if failures <= free:
        return 0
    return min(rules["BACKOFF_SECONDS"] * 2 ** (failures - free - 1), rules["BACKOFF_MAX_SECONDS"])


def login_wait_seconds(*, request: HttpRequest, username: str) -> int:
    """Return how many seconds this attempt must still wait (0: it may go ahead)."""
    username = normalize_username(username)
    address = client_address(request) or ""
    scopes = _scopes(username=username, address=address)
    states = cache.get_many([key for key, *_ in scopes])
    until = max((state.get("until", 0) for state in states.values()), default=0)
    return max(0, int(until - time.time() + 0.999))


def login_failure_record(*, request: HttpRequest, username: str) -> None:
    """Count a failed login in every scope and start (or lengthen) their waits."""
    username = normalize_username(username)
    address = client_address(request) or ""
    now = time.time()
    window = settings.LOGIN_THROTTLE["WINDOW_MINUTES"] * 60
    scopes = _scopes(username=username, address=address)
    states = cache.get_many([key for key, *_ in scopes])
    updated: dict[str, dict[str, Any]] = {}
    waits = []
    for key, scope, scope_username, scope_address, free in scopes:
        failures = states.get(key, {}).get("failures", 0) + 1
        delay = backoff_seconds(failures=failures, free=free)
        updated[key] = {"failures": failures, "until": now + delay if delay else 0}
        if delay:
            waits.append(
                LoginWait(key, scope, scope_username, scope_address, failures, now + delay)
            )
    cache.set_many(updated, timeout=window + settings.LOGIN_THROTTLE["BACKOFF_MAX_SECONDS"])
    if waits:
        _index_update(add=waits)


def login_success_record(*, request: HttpRequest, username: str) -> None:
    """Forget the failures of this address at this user ID, and of the user ID itself."""
    username = normalize_username(username)
    address = client_address(request) or ""
    keys = [key for key, scope, *_ in _scopes(username=username, address=address)]
    # The address scope stays: a success must not wipe the count of someone spraying guesses
    # at other user IDs from the same address.
    cache.delete_many(keys[:2])
    _index_update(remove=set(keys[:2]))


def login_waits() -> list[LoginWait]:
    """Return the scopes waiting now, the longest wait first."""
    now = time.time()
    index = cache.get(INDEX_KEY) or {}
    states = cache.get_many(list(index))
    waits = []
    for key, entry in index.items():
        until = states.get(key, {}).get("until", 0)
        if until > now:
            waits.append(
                LoginWait(
                    key=key,
                    scope=entry["scope"],
                    username=entry["username"],
                    address=entry["address"],
                    failures=states[key]["failures"],
                    until=until,
                )
            )
    return sorted(waits, key=lambda wait: -wait.until)


def login_wait_lift(*, key: str, by: Any, request: HttpRequest | None = None) -> LoginWait | None:
    """Forget one waiting scope's failures and record who did it; None if it was not waiting."""
    wait = next((w for w in login_waits() if w.key == key), None)
    if wait is None:
        return None
    cache.delete(key)
    _index_update(remove={key})
    user = User.objects.filter(username=wait.username).first() if wait.username else None
    audit_record(
        action=Action.CHANGED,
        actor=by,
        target=user,
        request=request,
        detail={
            "what": "login_wait_lifted",
            "scope": wait.scope,
            "username": wait.username,
            "address": wait.address,
            "failures": wait.failures,
        },
    )
    return wait


def _index_update(*, add: list[LoginWait] = (), remove: set[str] = frozenset()) -> None:
    """Note new waits in the index and drop lifted or expired ones."""
    now = time.time()
    index = cache.get(INDEX_KEY) or {}
    if not add and not any(key in index for key in remove):
        return
    index = {
        key: entry
        for key, entry in index.items()
        if key not in remove and entry["until"] > now - 60
    }
    for wait in add:
        index[wait.key] = {
            "scope": wait.scope,
            "username": wait.username,
            "address": wait.address,
            "until": wait.until,
        }
    cache.set(INDEX_KEY, index, timeout=settings.LOGIN_THROTTLE["BACKOFF_MAX_SECONDS"] + 60)
