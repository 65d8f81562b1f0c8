"""Every URL pattern of the project against every role: the answer each one gets.

The table below has one entry per URL pattern name; tests/test_authorization.py checks it.
Its `test_every_pattern_has_an_entry` walks
`django.urls.get_resolver()` (namespaces included) and fails naming any pattern without an
entry, except the groups in SKIPPED, each skipped for the reason given there.

Each (pattern, role) is one test case. The records come from `tests.matrix_objects` and are
built once for the module inside a transaction that is rolled back at its end; every test
runs in a savepoint of it (pytest-django's `db`), so each case starts from the same records.

Refusals: `require`, `require_secretariat` and the inquiry permission functions raise
PermissionDenied (403); a record the user may not even know of answers 404 (someone else's
export, another organization's poll request); a POST-only view answers GET with 405.
A refused POST must leave the database exactly as it was.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from renkei.accounts.models import DateStyle, Role, User
from renkei.announcements.models import Announcement, ExternalContact, NewsletterOptOut
from renkei.announcements.unsubscribe import unsubscribe_token
from renkei.audit.models import AuditEvent
from renkei.directory.models import GroupMember, GroupRole, Invitation, Organization, Person
from renkei.events.models import (
    Event,
    EventMaterial,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireQuestion,
    Registration,
    Session,
)
from renkei.forum.lists.models import ListMessage, MailingList
from renkei.forum.lists.models import MailOptOut as ListOptOut
from renkei.forum.models import AbuseReport as ForumReport
from renkei.forum.models import Board as ForumBoard
from renkei.forum.models import Follow as ForumFollow
from renkei.forum.models import Post as ForumPost
from renkei.forum.models import Preference as ForumPreference
from renkei.forum.models import Thread as ForumThread
from renkei.inquiries import mailings
from renkei.inquiries.models import Answer, AnswerLink, Export, Inquiry, Reminder
from renkei.polls.models import Poll, Vote, VoteChoice
from tests.matrix_objects import World

ROLES = ("anonymous", "outsider", "staff", "representative", "board", "observer", "secretariat")
LOGGED_IN = ROLES[1:]
LOGIN = "login"  # 302 to /accounts/login/

# URL groups the matrix does not cover: (what, how to recognise it, why).
SKIPPED: list[tuple[str, str, str]] = [
    (
        "namespace admin:",
        "admin",
        "Django's admin site has its own is_staff/permission checks and login page; no "
        "council role reaches it and it is not part of the role matrix.",
    ),
    (
        "allauth.account.urls (account_*)",
        "allauth.account.urls",
        "allauth's own login, logout, sign-up, password and e-mail pages: public under "
        "/accounts/ by design (allauth marks them login_not_required), same for every role, "
        "tested by allauth; sign-up is closed by AccountAdapter (renkei/accounts/tests/test_login.py).",
    ),
    (
        "renkei.meetings.urls (meetings:*)",
        "renkei.meetings.urls",
        "The meetings app keeps its own role matrix over every one of its patterns, with "
        "invitee and board-only cases this table has no records for "
        "(renkei/meetings/tests/test_permissions.py, which also walks the resolver).",
    ),
    (
        "allauth.mfa.base.urls (mfa_index, mfa_authenticate, mfa_reauthenticate)",
        "allauth.mfa.base.urls",
        "allauth's MFA pages: every logged-in user manages only their own authenticators.",
    ),
    (
        "allauth.mfa.totp.urls (mfa_activate_totp, mfa_deactivate_totp)",
        "allauth.mfa.totp.urls",
        "allauth's TOTP set-up, for one's own account only (RequireMFAMiddleware sends the "
        "secretariat there; renkei/accounts/tests/test_login.py).",
    ),
    (
        "allauth.mfa.recovery_codes.urls (mfa_*_recovery_codes)",
        "allauth.mfa.recovery_codes.urls",
        "allauth's recovery codes, for one's own account only.",
    ),
]


# --- walking the resolver -------------------------------------------------------------------


# Patterns that render no page (downloads, fragments): the accessibility sweep and the
# every-page checks leave them out.
NOT_PAGES = {
    "healthz": "plain-text health check",
    "inquiries:attachment_download": "file download",
    "inquiries:answer_file": "file download",
    "inquiries:export_download": "file download",
    "inquiries:offline_sheet": "Excel download",
    "portal:audit_export": "CSV download",
    "announcements:attachment": "file download",
    "forum:attachment": "file download",
    "lists:attachment": "file download",
    "inquiries:answer_conditions": "htmx fragment (a <style> element)",
    "inquiries:requester_candidates": "htmx fragment (the requester picker's candidates)",
    "inquiries:mailings": "htmx fragment (the progress of the notices being mailed)",
    "events:registration_ics": "iCalendar download",
    "events:material": "file download",
    "events:material_link": "file download",
    "events:participants_export": "Excel download",
    "events:questionnaire_export": "Excel download",
    "events:needs_questionnaire_export": "Excel download",
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" or "" for an unnamed pattern
    route: str
    groups: tuple[str, ...]  # the URLconf modules and namespaces it is included through


def _walk(patterns: list, *, prefix: str = "", ns: str = "", groups=()) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            module = pattern.urlconf_name
            module_name = module if isinstance(module, str) else getattr(module, "__name__", "")
            inner_groups = (
                *groups,
                module_name,
                *([pattern.namespace] if pattern.namespace else []),
            )
            yield from _walk(
                pattern.url_patterns,
                prefix=prefix + str(pattern.pattern),
                ns=ns + (f"{pattern.namespace}:" if pattern.namespace else ""),
                groups=inner_groups,
            )
        elif isinstance(pattern, URLPattern):
            name = ns + pattern.name if pattern.name else ""
            yield Route(name=name, route=prefix + str(pattern.pattern), groups=tuple(groups))


def _skip_reason(route: Route) -> str | None:
    for label, marker, _ in SKIPPED:
        if marker in route.groups:
            return label
    return None


def project_routes() -> list[Route]:
    """Return every pattern the matrix must cover (all but the SKIPPED groups)."""
    return [r for r in _walk(get_resolver().url_patterns) if _skip_reason(r) is None]


# --- the table ------------------------------------------------------------------------------

Expect = dict[str, int | str]


def answers(ok: int | str, *allowed: str, refused: int = 403, **others: int) -> Expect:
    """Logged-in roles in `allowed` get `ok`, the others `refused` unless named in `others`;
    anonymous visitors are sent to the login page."""
    table: Expect = {"anonymous": LOGIN}
    for role in LOGGED_IN:
        table[role] = ok if role in allowed else refused
    table.update(others)
    return table


def everyone(ok: int = 200) -> Expect:
    return answers(ok, *LOGGED_IN)


def secretariat(ok: int = 200) -> Expect:
    return answers(ok, "secretariat")


def post_only() -> Expect:
    """GET of a POST-only view: 405 for any logged-in role."""
    return answers(405, *LOGGED_IN)


MEMBERS = ("outsider", "staff", "representative", "board", "secretariat")
TOBETSU = ("staff", "representative")  # 当別町's people
TOBETSU_AND_SECRETARIAT = (*TOBETSU, "secretariat")
MANAGERS_OF_TOBETSU = ("representative", "secretariat")


@dataclass(frozen=True)
class Entry:
    """How to reach one URL pattern and what each role gets."""

    url: Callable[[World], str]
    get: Expect
    post: Expect | None = None  # None: the POST is not tried (GET-only or read-only view)
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    state: Callable[[World], Any] | None = None  # what the POST would change
    changes: bool = False  # an allowed POST must change `state`
    refusal: str = ""  # how refusals answer, for the reader


def url(name: str, *args: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[arg(w) for arg in args])


def org(w: World) -> int:
    return w.council.member_org.pk


def staff_person(w: World) -> int:
    return w.council.staff.person.pk


def _count(model, **filters) -> Callable[[World], int]:
    return lambda w: model.objects.filter(**filters).count()


def _field(model, pk: Callable[[World], int], *names: str) -> Callable[[World], Any]:
    return lambda w: model.objects.filter(pk=pk(w)).values_list(*names).first()


def _inquiry(pick: Callable[[World], Inquiry], *names: str) -> Callable[[World], Any]:
    return _field(Inquiry, lambda w: pick(w).pk, *(names or ("status", "updated_at")))


def _answer(w: World) -> Any:
    return Answer.objects.filter(pk=w.answer.pk).values_list("revision", "status", "data").first()


def _link(w: World) -> AnswerLink:
    """Return 当別町's answer link to the open inquiry (the world's town has no contacts)."""
    link, _ = AnswerLink.objects.get_or_create(
        inquiry=w.open, organization=w.council.member_org, revoked_at=None
    )
    return link


HOKKAIDO = ("staff", "representative", "board", "secretariat")


def _draft(w: World) -> int:
    return w.announcement_draft.pk


def _announcement_file(w: World) -> int:
    return w.announcement.attachments.get().pk


def _today(w: World) -> str:
    return timezone.localdate().isoformat()


def _registration(w: World) -> Any:
    return (
        Registration.objects.filter(pk=w.registration.pk)
        .values_list("status", "checked_in_at")
        .first()
    )


GROUP = ("board", "secretariat")  # 深川市 is the 役員会's member


def _forum(attr: str) -> Callable[[World], int]:
    return lambda w: getattr(w.forum, attr).pk


FORUM_TABLE: dict[str, Entry] = {
    "notifications": Entry(url("notifications"), everyone()),
    "forum:index": Entry(url("forum:index"), everyone()),
    "forum:search": Entry(lambda w: reverse("forum:search") + "?q=事業計画", everyone()),
    "forum:mine": Entry(url("forum:mine"), everyone()),
    "forum:preferences": Entry(
        url("forum:preferences"),
        everyone(),
        post=everyone(302),
        data=lambda w: {"delivery": "digest"},
        state=lambda w: sorted(ForumPreference.objects.values_list("user_id", "delivery")),
        changes=True,
        refusal="none: each user sets only their own delivery",
    ),
    "forum:board_new": Entry(
        url("forum:board_new"),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"name": "セキュリティ", "position": "3", "is_active": "on"},
        state=_count(ForumBoard),
        changes=True,
    ),
    "forum:board": Entry(
        url("forum:board", _forum("private_board")),
        answers(200, *GROUP, refused=404),
        refusal="404 outside the group",
    ),
    "forum:board_edit": Entry(
        url("forum:board_edit", _forum("private_board")),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"name": "役員会（改称）", "position": "2", "is_active": "on"},
        state=_field(ForumBoard, _forum("private_board"), "name", "group_id"),
        changes=True,
    ),
    "forum:follow_board": Entry(
        url("forum:follow_board", _forum("private_board")),
        post_only(),
        post=answers(302, *GROUP, refused=404),
        data=lambda w: {"follow": "1"},
        state=_count(ForumFollow),
        changes=True,
        refusal="404 outside the group",
    ),
    "forum:thread_new": Entry(
        url("forum:thread_new", _forum("private_board")),
        answers(200, *GROUP, refused=404),
        post=answers(302, *GROUP, refused=404),
        data=lambda w: {"title": "第2回役員会の日程", "body": "候補日をお知らせください。"},
        state=_count(ForumThread),
        changes=True,
        refusal="404 outside the group",
    ),
    "forum:thread": Entry(
        url("forum:thread", _forum("private_thread")),
        answers(200, *GROUP, refused=404),
        refusal="404 outside the group",
    ),
    "forum:reply": Entry(
        url("forum:reply", _forum("private_thread")),
        answers(200, *GROUP, refused=404),
        post=answers(302, *GROUP, refused=404),
        data=lambda w: {"body": "確認しました。"},
        state=_count(ForumPost),
        changes=True,
        refusal="404 outside the group",
    ),
    "forum:follow_thread": Entry(
        url("forum:follow_thread", _forum("private_thread")),
        post_only(),
        # The board user follows the thread already (as its author): "1" keeps it so.
        post=answers(302, *GROUP, refused=404),
        data=lambda w: {"follow": "1"},
        state=_count(ForumFollow),
        refusal="404 outside the group",
    ),
    "forum:thread_moderate": Entry(
        lambda w: reverse("forum:thread_moderate", args=[w.forum.private_thread.pk, "lock"]),
        secretariat(),  # the confirmation page
        post=secretariat(302),
        data=lambda w: {"confirm": "1", "reason": "結論が出たため"},
        state=_field(ForumThread, _forum("private_thread"), "is_locked"),
        changes=True,
    ),
    "forum:thread_move": Entry(
        url("forum:thread_move", _forum("private_thread")),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"board": w.forum.board.pk, "confirm": "1"},
        state=_field(ForumThread, _forum("private_thread"), "board_id"),
        changes=True,
    ),
    "forum:post": Entry(
        url("forum:post", _forum("private_post")),
        answers(302, *GROUP, refused=404),
        refusal="404 outside the group; members are sent to the post's place in its thread",
    ),
    "forum:post_edit": Entry(
        url("forum:post_edit", _forum("private_post")),
        answers(200, *GROUP, refused=404),
        post=answers(302, *GROUP, refused=404),
        data=lambda w: {"body": "資料を差し替えました。"},
        state=_field(ForumPost, _forum("private_post"), "body"),
        changes=True,
        refusal="404 outside the group; the author (board) and the secretariat edit",
    ),
    "forum:post_history": Entry(
        url("forum:post_history", _forum("private_post")),
        answers(200, *GROUP, refused=404),
        refusal="404 outside the group",
    ),
    "forum:post_hide": Entry(
        url("forum:post_hide", _forum("private_post")),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"reason": "個人情報を含むため"},
        state=_field(ForumPost, _forum("private_post"), "is_hidden"),
        changes=True,
    ),
    "forum:report": Entry(
        url("forum:report", _forum("private_post")),
        answers(200, *GROUP, refused=404),
        # The secretariat reported this post already: a second report is refused (400).
        post=answers(302, *GROUP, refused=404, secretariat=400),
        data=lambda w: {"reason": "誤りがあります。"},
        state=_count(ForumReport),
        refusal="404 outside the group",
    ),
    "forum:attachment": Entry(
        url("forum:attachment", _forum("private_attachment")),
        answers(200, *GROUP, refused=404),
        refusal="404 outside the group",
    ),
    "forum:reports": Entry(url("forum:reports"), secretariat()),
    "forum:report_resolve": Entry(
        url("forum:report_resolve", _forum("private_report")),
        post_only(),
        post=secretariat(302),
        data=lambda w: {"resolution": "対応不要"},
        state=_field(ForumReport, _forum("private_report"), "resolved_at"),
        changes=True,
    ),
}


def _lists(attr: str) -> Callable[[World], int]:
    return lambda w: getattr(w.lists, attr).pk


# The 役員会's mailing list: every page answers 404 outside the group (深川市's "board" user)
# and the secretariat; held mail is decided by the list's moderator (the secretariat here).
LISTS_TABLE: dict[str, Entry] = {
    "lists:index": Entry(url("lists:index"), everyone(), refusal="none: shows one's own lists"),
    "lists:new": Entry(
        url("lists:new"),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {
            "group": str(w.lists.spare_group.pk),
            "local_part": "kouhou-wg",
            "nonmember_policy": "hold",
            "is_active": "on",
        },
        state=_count(MailingList),
        changes=True,
    ),
    "lists:edit": Entry(
        url("lists:edit", _lists("mailing_list")),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"local_part": "board", "nonmember_policy": "refuse", "is_active": "on"},
        state=_field(MailingList, _lists("mailing_list"), "local_part", "nonmember_policy"),
        changes=True,
    ),
    "lists:archive": Entry(
        url("lists:archive", _lists("mailing_list")),
        answers(200, *GROUP, refused=404),
        refusal="404 outside the group",
    ),
    "lists:post": Entry(
        url("lists:post", _lists("mailing_list")),
        answers(200, *GROUP, refused=404),
        post=answers(302, *GROUP, refused=404),
        data=lambda w: {"subject": "総会の議案", "body": "ご確認ください。"},
        state=_count(ListMessage),
        changes=True,
        refusal="404 outside the group",
    ),
    "lists:receiving": Entry(
        url("lists:receiving", _lists("mailing_list")),
        answers(200, *GROUP, refused=404),
        # Only a member who gets the mail can stop it: the secretariat reads but is no member.
        post=answers(302, "board", refused=404),
        data=lambda w: {"receiving": "0"},
        state=_count(ListOptOut),
        changes=True,
        refusal="404 outside the group; 404 to a reader who is not a member",
    ),
    "lists:held": Entry(
        url("lists:held", _lists("mailing_list")),
        answers(200, "secretariat", refused=404),
        refusal="404 to all but the list's moderators and the secretariat",
    ),
    "lists:thread": Entry(
        url("lists:thread", _lists("thread")),
        answers(200, *GROUP, refused=404),
        refusal="404 outside the group",
    ),
    "lists:message": Entry(
        url("lists:message", _lists("message")),
        answers(200, *GROUP, refused=404),
        refusal="404 outside the group",
    ),
    "lists:reply": Entry(
        url("lists:reply", _lists("message")),
        answers(200, *GROUP, refused=404),
        post=answers(302, *GROUP, refused=404),
        data=lambda w: {"subject": "Re: 第2回役員会の資料", "body": "拝見しました。"},
        state=_count(ListMessage),
        changes=True,
        refusal="404 outside the group",
    ),
    "lists:decide": Entry(
        lambda w: reverse("lists:decide", args=[w.lists.held.pk, "approve"]),
        answers(200, "secretariat", refused=404),  # the confirmation page
        post=answers(302, "secretariat", refused=404),
        data=lambda w: {"confirm": "1"},
        state=_field(ListMessage, _lists("held"), "status"),
        changes=True,
        refusal="404 to all but the list's moderators and the secretariat",
    ),
    "lists:attachment": Entry(
        url("lists:attachment", _lists("attachment")),
        answers(200, *GROUP, refused=404),
        refusal="404 outside the group",
    ),
}

TABLE: dict[str, Entry] = {
    # --- seminars and trainings -----------------------------------------------------------
    "events:list": Entry(url("events:list"), everyone()),
    "events:create": Entry(
        url("events:create"), secretariat(), post=secretariat(400), state=_count(Event)
    ),
    "events:prospects": Entry(url("events:prospects"), secretariat()),
    "events:detail": Entry(url("events:detail", lambda w: w.event.pk), everyone()),
    "events:edit": Entry(
        url("events:edit", lambda w: w.event_draft.pk),
        secretariat(),
        post=secretariat(400),
        state=_field(Event, lambda w: w.event_draft.pk, "title", "starts_at"),
    ),
    "events:program": Entry(
        url("events:program", lambda w: w.event_draft.pk),
        secretariat(),
        post=secretariat(400),
        state=_count(Session),
    ),
    "events:publish": Entry(
        url("events:publish", lambda w: w.event_draft.pk),
        secretariat(),  # the confirmation page
        post=secretariat(302),
        data=lambda w: {"confirm": "yes"},
        state=_field(Event, lambda w: w.event_draft.pk, "status"),
        changes=True,
    ),
    "events:cancel": Entry(
        url("events:cancel", lambda w: w.event.pk),
        secretariat(),  # the confirmation page
        post=secretariat(302),
        data=lambda w: {"confirm": "yes"},
        state=_field(Event, lambda w: w.event.pk, "status"),
        changes=True,
    ),
    "events:register": Entry(
        url("events:register", lambda w: w.event.pk),
        post_only(),
        post=everyone(302),
        data=lambda w: {"person": str(w.council.outsider.person.pk)},
        state=_count(Registration),
        refusal="302 with an error for anyone but 和木町's own people: a member registers only "
        "people of their organization",
    ),
    "events:registration_cancel": Entry(
        url("events:registration_cancel", lambda w: w.event.pk, lambda w: w.registration.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        post=answers(302, *TOBETSU_AND_SECRETARIAT),
        data=lambda w: {"confirm": "yes"},
        state=_registration,
        changes=True,
        refusal="403: only the registrant, their 団体管理者 and the secretariat",
    ),
    "events:material_add": Entry(
        url("events:material_add", lambda w: w.event.pk),
        secretariat(),
        post=secretariat(400),  # no file: the form says so
        state=_count(EventMaterial),
    ),
    "events:material": Entry(
        url("events:material", lambda w: w.event.pk, lambda w: w.event_material_private.pk),
        answers(200, "staff", "secretariat"),
        refusal="403: a document for confirmed registrants opens for them and the secretariat",
    ),
    "events:material_delete": Entry(
        url("events:material_delete", lambda w: w.event.pk, lambda w: w.event_material.pk),
        secretariat(),  # the confirmation page
        post=secretariat(302),
        data=lambda w: {"confirm": "yes"},
        state=_count(EventMaterial),
        changes=True,
    ),
    "events:registrations": Entry(url("events:registrations", lambda w: w.event.pk), secretariat()),
    "events:check_in": Entry(
        url("events:check_in", lambda w: w.event.pk, lambda w: w.registration.pk),
        post_only(),
        post=secretariat(302),
        state=_registration,
        changes=True,
    ),
    "events:sign_in_sheet": Entry(url("events:sign_in_sheet", lambda w: w.event.pk), secretariat()),
    "events:participants_export": Entry(
        url("events:participants_export", lambda w: w.event.pk), secretariat()
    ),
    "events:check_in_scan": Entry(
        lambda w: reverse("events:check_in_scan", args=[w.registration.token]), secretariat()
    ),
    "events:apply": Entry(
        url("events:apply", lambda w: w.event.pk),
        dict.fromkeys(ROLES, 200),
        post=dict.fromkeys(ROLES, 400),
        state=_count(Registration),
        refusal="public: only a published event open to non-members; the form checks the rest",
    ),
    "events:registration": Entry(
        lambda w: reverse("events:registration", args=[w.registration.token]),
        dict.fromkeys(ROLES, 200),
        refusal="public: the registrant's own token is the key",
    ),
    "events:registration_confirm": Entry(
        lambda w: reverse("events:registration_confirm", args=[w.registration.token]),
        dict.fromkeys(ROLES, 200),
        post=dict.fromkeys(ROLES, 302),
        state=_registration,
        refusal="public: the token is the key; a confirmed registration stays as it is",
    ),
    "events:registration_cancel_link": Entry(
        lambda w: reverse("events:registration_cancel_link", args=[w.registration.token]),
        dict.fromkeys(ROLES, 200),
        post=dict.fromkeys(ROLES, 200),  # without `confirm` the page shows again
        state=_registration,
        refusal="public: the token is the key; only the confirmation page's POST cancels",
    ),
    "events:registration_ics": Entry(
        lambda w: reverse("events:registration_ics", args=[w.registration.token]),
        dict.fromkeys(ROLES, 200),
        refusal="public: the token is the key",
    ),
    "events:material_link": Entry(
        lambda w: reverse(
            "events:material_link", args=[w.registration.token, w.event_material_private.pk]
        ),
        dict.fromkeys(ROLES, 200),
        refusal="public: the confirmed registrant's own token is the key",
    ),
    "events:questionnaire_create": Entry(
        url("events:questionnaire_create", lambda w: w.event.pk),
        secretariat(),
        post=secretariat(400),
        state=_count(Questionnaire),
    ),
    "events:questionnaire": Entry(
        url("events:questionnaire", lambda w: w.event.pk, lambda w: w.questionnaire_draft.pk),
        secretariat(),
        post=secretariat(400),  # no formset management data
        state=_count(QuestionnaireQuestion),
    ),
    "events:questionnaire_open": Entry(
        url("events:questionnaire_open", lambda w: w.event.pk, lambda w: w.questionnaire_draft.pk),
        secretariat(),  # the confirmation page
        post=secretariat(302),
        data=lambda w: {"confirm": "yes"},
        state=_field(Questionnaire, lambda w: w.questionnaire_draft.pk, "status"),
        changes=True,
    ),
    "events:questionnaire_close": Entry(
        url("events:questionnaire_close", lambda w: w.event.pk, lambda w: w.questionnaire.pk),
        secretariat(),  # the confirmation page
        post=secretariat(302),
        data=lambda w: {"confirm": "yes"},
        state=_field(Questionnaire, lambda w: w.questionnaire.pk, "status"),
        changes=True,
    ),
    "events:questionnaire_results": Entry(
        url("events:questionnaire_results", lambda w: w.event.pk, lambda w: w.questionnaire.pk),
        secretariat(),
    ),
    "events:questionnaire_export": Entry(
        url("events:questionnaire_export", lambda w: w.event.pk, lambda w: w.questionnaire.pk),
        secretariat(),
    ),
    "events:catalogue": Entry(
        url("events:catalogue", lambda w: w.needs_questionnaire.fiscal_year),
        everyone(),
        refusal="every member reads the training catalogue; anonymous to the login",
    ),
    "events:needs_questionnaire_create": Entry(
        url("events:needs_questionnaire_create", lambda w: w.needs_questionnaire.fiscal_year),
        secretariat(),
        post=secretariat(400),
        state=_count(Questionnaire),
    ),
    "events:needs_questionnaire": Entry(
        url(
            "events:needs_questionnaire",
            lambda w: w.needs_questionnaire_draft.fiscal_year,
            lambda w: w.needs_questionnaire_draft.pk,
        ),
        secretariat(),
        post=secretariat(400),  # no formset management data
        state=_count(QuestionnaireQuestion),
    ),
    "events:needs_questionnaire_open": Entry(
        url(
            "events:needs_questionnaire_open",
            lambda w: w.needs_questionnaire_draft.fiscal_year,
            lambda w: w.needs_questionnaire_draft.pk,
        ),
        secretariat(),  # the confirmation page
        post=secretariat(302),
        data=lambda w: {"confirm": "yes"},
        state=_field(Questionnaire, lambda w: w.needs_questionnaire_draft.pk, "status"),
        changes=True,
    ),
    "events:needs_questionnaire_close": Entry(
        url(
            "events:needs_questionnaire_close",
            lambda w: w.needs_questionnaire.fiscal_year,
            lambda w: w.needs_questionnaire.pk,
        ),
        secretariat(),  # the confirmation page
        post=secretariat(302),
        data=lambda w: {"confirm": "yes"},
        state=_field(Questionnaire, lambda w: w.needs_questionnaire.pk, "status"),
        changes=True,
    ),
    "events:needs_questionnaire_results": Entry(
        url(
            "events:needs_questionnaire_results",
            lambda w: w.needs_questionnaire.fiscal_year,
            lambda w: w.needs_questionnaire.pk,
        ),
        secretariat(),
    ),
    "events:needs_questionnaire_export": Entry(
        url(
            "events:needs_questionnaire_export",
            lambda w: w.needs_questionnaire.fiscal_year,
            lambda w: w.needs_questionnaire.pk,
        ),
        secretariat(),
    ),
    "events:needs_questionnaire_answer": Entry(
        url(
            "events:needs_questionnaire_answer",
            lambda w: w.needs_questionnaire.fiscal_year,
            lambda w: w.needs_questionnaire.pk,
        ),
        everyone(),
        post=everyone(400),  # the required question is left blank
        state=_count(QuestionnaireAnswer),
        refusal="every member answers a needs questionnaire, once; anonymous to the login; "
        "a registrant's link never reaches it",
    ),
    "events:questionnaire_answer_link": Entry(
        lambda w: reverse(
            "events:questionnaire_answer_link", args=[w.registration.token, w.questionnaire.pk]
        ),
        dict.fromkeys(ROLES, 200),
        post=dict.fromkeys(ROLES, 400),  # the required question is left blank
        state=_count(QuestionnaireAnswer),
        refusal="public: a confirmed registrant's own token is the key",
    ),
    # --- top level ------------------------------------------------------------------------
    "home": Entry(url("home"), everyone()),
    "healthz": Entry(url("healthz"), dict.fromkeys(ROLES, 200), refusal="public"),
    "invitation_accept": Entry(
        lambda w: reverse("invitation_accept", args=[w.invitation.token]),
        dict.fromkeys(ROLES, 200),
        refusal="public: the token is the key",
    ),
    "admin_login_redirect": Entry(
        url("admin_login_redirect"),
        dict.fromkeys(ROLES, LOGIN),
        refusal="public: it only redirects to the site's login page",
    ),
    # --- answer links: public, the signed token (or the session it starts) is the key -------
    "answer_link:open": Entry(
        lambda w: reverse("answer_link:open", args=[mailings.answer_link_token(_link(w))]),
        dict.fromkeys(ROLES, 200),
        post=dict.fromkeys(ROLES, 302),
        data=lambda w: {"respondent": "当別 窓口"},
        state=_count(AuditEvent, detail__step="start"),
        changes=True,
        refusal="public: the token names one answer; without it nothing opens",
    ),
    "answer_link:answer": Entry(
        url("answer_link:answer"),
        dict.fromkeys(ROLES, 403),
        post=dict.fromkeys(ROLES, 403),
        state=_answer,
        refusal="403 without a session started by a link, whatever the account",
    ),
    "answer_link:submit": Entry(
        url("answer_link:submit"),
        dict.fromkeys(ROLES, 403),
        post=dict.fromkeys(ROLES, 403),
        data=lambda w: {"confirm": "yes", "revision": "0"},
        state=_answer,
        refusal="403 without a session started by a link, whatever the account",
    ),
    "answer_link:conditions": Entry(url("answer_link:conditions"), dict.fromkeys(ROLES, 403)),
    "answer_link:end": Entry(
        url("answer_link:end"),
        dict.fromkeys(ROLES, 405),
        post=dict.fromkeys(ROLES, 200),
        state=_answer,
        refusal="none: ends only this browser's answer-link session",
    ),
    # --- directory ------------------------------------------------------------------------
    "directory:organization_list": Entry(url("directory:organization_list"), everyone()),
    "directory:organization_detail": Entry(url("directory:organization_detail", org), everyone()),
    "directory:organization_staff_manage": Entry(
        url("directory:organization_staff_manage", org),
        answers(200, *MANAGERS_OF_TOBETSU),
        post=answers(302, *MANAGERS_OF_TOBETSU),
        data=lambda w: {"name": "新任 職員", "email": "shinnin@example.lg.jp", "role": Role.STAFF},
        state=_count(Invitation),
        changes=True,
        refusal="403: only 当別町's representative and the secretariat manage its staff",
    ),
    "directory:organization_notification": Entry(
        url("directory:organization_notification", org),
        answers(200, *MANAGERS_OF_TOBETSU),
        post=answers(302, *MANAGERS_OF_TOBETSU),
        data=lambda w: {"notification_email": "joho@tobetsu.example.lg.jp"},
        state=_field(Organization, org, "notification_email"),
        changes=True,
        refusal="403: only 当別町's representative and the secretariat set its addresses",
    ),
    "directory:user_set_active": Entry(
        lambda w: reverse("directory:user_set_active", args=[w.council.staff.pk]),
        post_only(),
        post=answers(302, *MANAGERS_OF_TOBETSU),
        data=lambda w: {"active": "0", "confirm": "1"},
        state=_field(User, lambda w: w.council.staff.pk, "is_active"),
        changes=True,
        refusal="403",
    ),
    "directory:user_deactivate": Entry(
        lambda w: reverse("directory:user_deactivate", args=[w.council.staff.pk]),
        answers(200, *MANAGERS_OF_TOBETSU),
        refusal="403: the confirmation page of 利用停止; the POST goes to user_set_active",
    ),
    "directory:organization_contacts": Entry(
        url("directory:organization_contacts", org),
        answers(200, *MANAGERS_OF_TOBETSU),
        post=answers(302, *MANAGERS_OF_TOBETSU),
        data=lambda w: {"action": "create", "title": "連絡窓口", "holder": staff_person(w)},
        state=lambda w: list(w.council.member_org.posts.values_list("title", "holder")),
        changes=True,
        refusal="403: only 当別町's representative and the secretariat choose its 連絡窓口",
    ),
    "directory:person_edit": Entry(
        url("directory:person_edit", staff_person),
        answers(200, *MANAGERS_OF_TOBETSU),
        post=answers(302, *MANAGERS_OF_TOBETSU),
        data=lambda w: {"department": "総務課", "title": "係長", "email": "", "phone": "1"},
        state=_field(Person, staff_person, "department_id", "title", "email", "phone"),
        changes=True,
        refusal="403",
    ),
    "directory:person_reassign": Entry(
        url("directory:person_reassign", staff_person),
        answers(200, *MANAGERS_OF_TOBETSU),
        post=answers(302, *MANAGERS_OF_TOBETSU),
        data=lambda w: {"department": "総務課", "title": "係長", "on": _today(w)},
        state=_field(Person, staff_person, "department_id", "title"),
        changes=True,
        refusal="403",
    ),
    "directory:person_leave": Entry(
        url("directory:person_leave", staff_person),
        answers(200, *MANAGERS_OF_TOBETSU),
        post=answers(302, *MANAGERS_OF_TOBETSU),
        data=lambda w: {"on": _today(w), "confirm": "1"},
        state=_field(Person, staff_person, "organization_id"),
        changes=True,
        refusal="403",
    ),
    "directory:profile": Entry(
        url("directory:profile"),
        everyone(),
        post=everyone(302),
        data=lambda w: {"full_name": "改姓 花子", "phone": "1", "email": "matrix@example.lg.jp"},
        state=lambda w: sorted(User.objects.values_list("username", "full_name")),
        changes=True,
        refusal="none: each user changes only their own name and contacts",
    ),
    "directory:email_change_confirm": Entry(
        lambda w: reverse("directory:email_change_confirm", args=["not-a-signed-token"]),
        answers(400, *LOGGED_IN),
        post=answers(400, *LOGGED_IN),
        state=lambda w: sorted(User.objects.values_list("username", "email")),
        refusal="400: a link is signed for one user; a bad one changes nothing",
    ),
    "directory:invitation_revoke": Entry(
        lambda w: reverse("directory:invitation_revoke", args=[w.invitation.pk]),
        post_only(),
        post=answers(302, *MANAGERS_OF_TOBETSU),
        state=_field(Invitation, lambda w: w.invitation.pk, "revoked_at"),
        changes=True,
        refusal="403",
    ),
    "directory:person_list": Entry(url("directory:person_list"), answers(200, *MEMBERS)),
    "directory:person_detail": Entry(
        url("directory:person_detail", staff_person),
        answers(200, *MEMBERS),
        refusal="403: observers see no contact details",
    ),
    "directory:membership_status": Entry(url("directory:membership_status"), everyone()),
    "directory:manage_index": Entry(url("directory:manage_index"), secretariat()),
    "directory:manage_organization_new": Entry(
        url("directory:manage_organization_new"),
        secretariat(),
        post=secretariat(200),  # an empty form is shown again with its errors
        state=_count(Organization),
    ),
    "directory:manage_organization_edit": Entry(
        url("directory:manage_organization_edit", org),
        secretariat(),
        post=secretariat(200),
        state=_field(Organization, org, "name", "code", "kind"),
    ),
    "directory:manage_membership": Entry(
        url("directory:manage_membership", org),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"action": "end", "end-left_on": _today(w)},
        state=lambda w: list(w.council.member_org.memberships.values_list("left_on")),
        changes=True,
    ),
    "directory:manage_person_new": Entry(
        url("directory:manage_person_new", org),
        secretariat(),
        post=secretariat(200),
        state=_count(Person),
    ),
    "directory:manage_person_transfer": Entry(
        url("directory:manage_person_transfer", staff_person),
        secretariat(),
        post=secretariat(200),
        state=_field(Person, staff_person, "organization_id", "department_id", "title"),
    ),
    "directory:manage_user_role": Entry(
        url("directory:manage_user_role", staff_person),
        post_only(),
        post=secretariat(302),
        data=lambda w: {"role": Role.BOARD},
        state=_field(User, lambda w: w.council.staff.pk, "role"),
        changes=True,
    ),
    "directory:manage_person_group": Entry(
        url("directory:manage_person_group", staff_person),
        post_only(),
        post=secretariat(302),
        data=lambda w: {"group": w.group.pk, "role": GroupRole.MEMBER},
        state=_count(GroupMember),
        changes=True,
    ),
    "directory:manage_groups": Entry(
        url("directory:manage_groups"),
        secretariat(),
        post=secretariat(200),
        state=_count(GroupMember),
    ),
    "directory:manage_group": Entry(
        lambda w: reverse("directory:manage_group", args=[w.group.pk]),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"action": "remove", "member": str(w.group_member.pk)},
        state=_count(GroupMember),
        changes=True,
    ),
    "directory:manage_invitations": Entry(
        url("directory:manage_invitations"),
        secretariat(),
        post=secretariat(200),
        state=_count(Invitation),
    ),
    # --- accounts and records -------------------------------------------------------------
    "accounts:settings": Entry(
        url("accounts:settings"),
        everyone(),
        post=everyone(302),
        data=lambda w: {"date_style": DateStyle.WESTERN},
        state=lambda w: sorted(User.objects.values_list("username", "date_style")),
        changes=True,
        refusal="none: each user changes only their own settings",
    ),
    "portal:audit_events": Entry(url("portal:audit_events"), secretariat()),
    "portal:audit_export": Entry(url("portal:audit_export"), secretariat()),
    "portal:outbox": Entry(url("portal:outbox"), secretariat()),
    "portal:login_waits": Entry(
        url("portal:login_waits"),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"key": "login-throttle:pair:unknown"},
        state=_count(AuditEvent),
    ),
    # --- inquiries: lists, 当別町's draft ---------------------------------------------------
    "inquiries:list": Entry(url("inquiries:list"), everyone()),
    "inquiries:create": Entry(
        url("inquiries:create"),
        answers(200, *MEMBERS),
        post=answers(200, *MEMBERS),
        state=_count(Inquiry),
        refusal="403: observers may not ask",
    ),
    "inquiries:requester_candidates": Entry(
        lambda w: reverse("inquiries:requester_candidates") + "?requester=当別",
        secretariat(),
        refusal="403: only the secretariat picks a requester",
    ),
    "inquiries:preview": Entry(
        url("inquiries:preview", lambda w: w.draft.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        refusal="403: only those who may edit the draft",
    ),
    "inquiries:detail": Entry(
        url("inquiries:detail", lambda w: w.draft.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        refusal="403: another organization's draft",
    ),
    "inquiries:edit": Entry(
        url("inquiries:edit", lambda w: w.draft.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        post=answers(200, *TOBETSU_AND_SECRETARIAT),
        state=_inquiry(lambda w: w.draft, "title", "purpose", "deadline", "updated_at"),
    ),
    "inquiries:delete": Entry(
        url("inquiries:delete", lambda w: w.draft.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        post=answers(302, *TOBETSU_AND_SECRETARIAT),
        state=_count(Inquiry),
        changes=True,
    ),
    "inquiries:targets": Entry(
        url("inquiries:targets", lambda w: w.draft.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        post=answers(200, *TOBETSU_AND_SECRETARIAT),
        state=_inquiry(lambda w: w.draft, "target_spec", "updated_at"),
    ),
    "inquiries:attachments": Entry(
        url("inquiries:attachments", lambda w: w.draft.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        post=answers(200, *TOBETSU_AND_SECRETARIAT),
        state=lambda w: w.draft.attachments.count(),
    ),
    "inquiries:attachment_download": Entry(
        url("inquiries:attachment_download", lambda w: w.draft.pk, lambda w: w.draft_attachment.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
    ),
    "inquiries:attachment_delete": Entry(
        url("inquiries:attachment_delete", lambda w: w.draft.pk, lambda w: w.draft_attachment.pk),
        post_only(),
        post=answers(302, *TOBETSU_AND_SECRETARIAT),
        state=lambda w: w.draft.attachments.count(),
        changes=True,
    ),
    "inquiries:questions": Entry(
        url("inquiries:questions", lambda w: w.draft.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        post=answers(200, *TOBETSU_AND_SECRETARIAT),
        state=lambda w: w.draft.questions.count(),
    ),
    "inquiries:question_edit": Entry(
        url("inquiries:question_edit", lambda w: w.draft.pk, lambda w: w.draft_question.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        post=answers(200, *TOBETSU_AND_SECRETARIAT),
        state=lambda w: list(w.draft.questions.values_list("pk", "text", "kind")),
    ),
    "inquiries:question_delete": Entry(
        url("inquiries:question_delete", lambda w: w.draft.pk, lambda w: w.draft_question.pk),
        post_only(),
        post=answers(302, *TOBETSU_AND_SECRETARIAT),
        state=lambda w: w.draft.questions.count(),
        changes=True,
    ),
    "inquiries:question_move": Entry(
        url("inquiries:question_move", lambda w: w.draft.pk, lambda w: w.draft_question.pk),
        post_only(),
        post=answers(302, *TOBETSU_AND_SECRETARIAT),
        data=lambda w: {"direction": "down"},
        state=lambda w: list(w.draft.questions.values_list("pk", "position")),
    ),
    "inquiries:submit_for_review": Entry(
        url("inquiries:submit_for_review", lambda w: w.draft.pk),
        post_only(),
        post=answers(302, *TOBETSU),
        state=_inquiry(lambda w: w.draft),
        changes=True,
        refusal="403: only the asking organization sends its draft (not even the secretariat)",
    ),
    "inquiries:open": Entry(
        url("inquiries:open", lambda w: w.draft.pk),
        secretariat(),
        post=secretariat(302),
        state=_inquiry(lambda w: w.draft),
    ),
    # --- 深川市's 調査依頼 waiting for review --------------------------------------------------
    "inquiries:review": Entry(
        url("inquiries:review", lambda w: w.review.pk),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"decision": "reject", "note": "設問を見直してください。"},
        state=_inquiry(lambda w: w.review),
        changes=True,
        refusal="403: even 深川市, which asked, may not review it",
    ),
    # --- 当別町's approved 調査依頼, open to 和木町 and 深川市 -----------------------------------
    "inquiries:close": Entry(
        url("inquiries:close", lambda w: w.requested.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),  # the confirmation page
        post=answers(302, *TOBETSU_AND_SECRETARIAT),
        data=lambda w: {"confirm": "yes"},
        state=_inquiry(lambda w: w.requested),
        changes=True,
        refusal="403: 和木町 and 深川市 answer it but do not run it",
    ),
    "inquiries:publish": Entry(
        url("inquiries:publish", lambda w: w.requested.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),  # the confirmation page
        post=answers(302, *TOBETSU_AND_SECRETARIAT),  # refused with a message: not closed
        data=lambda w: {"confirm": "yes"},
        state=_inquiry(lambda w: w.requested),
    ),
    "inquiries:extend": Entry(
        url("inquiries:extend", lambda w: w.requested.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        post=answers(200, *TOBETSU_AND_SECRETARIAT),
        state=_inquiry(lambda w: w.requested, "deadline", "updated_at"),
    ),
    "inquiries:progress": Entry(
        url("inquiries:progress", lambda w: w.requested.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
    ),
    "inquiries:mailings": Entry(
        url("inquiries:mailings", lambda w: w.requested.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
    ),
    "inquiries:remind": Entry(
        url("inquiries:remind", lambda w: w.requested.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),  # the confirmation page for all
        post=answers(302, *TOBETSU_AND_SECRETARIAT),
        data=lambda w: {
            "scope": "selected",
            "organizations": [str(w.council.other_org.pk)],
            "confirm": "on",
        },
        state=_count(Reminder),
        changes=True,
    ),
    "inquiries:compilation": Entry(
        url("inquiries:compilation", lambda w: w.requested.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        refusal="403: results of an unpublished inquiry, even to those who answered it",
    ),
    "inquiries:compilation_matrix": Entry(
        url("inquiries:compilation_matrix", lambda w: w.requested.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
    ),
    "inquiries:compilation_question": Entry(
        url(
            "inquiries:compilation_question",
            lambda w: w.requested.pk,
            lambda w: w.requested_text_question.pk,
        ),
        answers(200, *TOBETSU_AND_SECRETARIAT),
    ),
    "inquiries:compilation_compare": Entry(
        url("inquiries:compilation_compare", lambda w: w.requested.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
    ),
    "inquiries:export_list": Entry(
        url("inquiries:export_list", lambda w: w.requested.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        post=answers(302, *TOBETSU_AND_SECRETARIAT),
        data=lambda w: {"format": "csv_utf8"},
        state=_count(Export),
        changes=True,
    ),
    "inquiries:export_detail": Entry(
        url("inquiries:export_detail", lambda w: w.requested.pk, lambda w: w.export.pk),
        answers(200, "secretariat", staff=404, representative=404),
        refusal="404 to 当別町 (it sees the results, but the export is the secretariat's); "
        "403 to those who may not see the results",
    ),
    "inquiries:export_download": Entry(
        url("inquiries:export_download", lambda w: w.requested.pk, lambda w: w.export.pk),
        answers(200, "secretariat", staff=404, representative=404),
        refusal="as export_detail",
    ),
    # --- the secretariat's inquiry to 当別町 only, with 当別町's answer ------------------------
    "inquiries:copy": Entry(
        url("inquiries:copy", lambda w: w.open.pk),
        post_only(),
        post=answers(302, *TOBETSU_AND_SECRETARIAT),
        state=_count(Inquiry),
        changes=True,
        refusal="403: 和木町 and 深川市 are not asked, so they may not see it",
    ),
    "inquiries:answer": Entry(
        url("inquiries:answer", lambda w: w.open.pk),
        answers(200, *TOBETSU),
        post=answers(400, *TOBETSU),  # an empty form is refused with its errors
        state=_answer,
        refusal="403: only the asked organization answers (the secretariat uses proxy entry)",
    ),
    "inquiries:answer_confirm": Entry(
        url("inquiries:answer_confirm", lambda w: w.open.pk),
        answers(200, "representative"),
        post=answers(200, "representative"),
        state=_answer,
        refusal="403: 所属長確認 is the representative's",
    ),
    "inquiries:answer_submit": Entry(
        url("inquiries:answer_submit", lambda w: w.open.pk),
        answers(200, *TOBETSU),  # the 確認画面
        post=answers(302, *TOBETSU),  # refused with a message: required answers missing
        data=lambda w: {"confirm": "yes", "revision": str(w.answer.revision)},
        state=_answer,
        refusal="403: only the asked organization submits (the secretariat uses proxy entry)",
    ),
    "inquiries:answer_versions": Entry(
        url("inquiries:answer_versions", lambda w: w.open.pk), answers(200, *TOBETSU)
    ),
    "inquiries:answer_conditions": Entry(
        url("inquiries:answer_conditions", lambda w: w.open.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
    ),
    "inquiries:answer_file": Entry(
        url("inquiries:answer_file", lambda w: w.open.pk, lambda w: w.answer_file.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT),
        refusal="403: 当別町's file",
    ),
    "inquiries:proxy_answer": Entry(
        url("inquiries:proxy_answer", lambda w: w.open.pk, org),
        secretariat(),
        post=secretariat(400),
        state=_answer,
        refusal="403: proxy entry is the secretariat's, even for 当別町's own people",
    ),
    "inquiries:answer_links_revoke": Entry(
        lambda w: reverse("inquiries:answer_links_revoke", args=[_link(w).inquiry_id]),
        secretariat(),
        post=secretariat(302),
        state=lambda w: list(AnswerLink.objects.values_list("pk", "revoked_at")),
        changes=True,
        refusal="403: answer links are the secretariat's to revoke",
    ),
    "inquiries:answer_link_reissue": Entry(
        lambda w: reverse(
            "inquiries:answer_link_reissue",
            args=[_link(w).inquiry_id, w.council.member_org.pk],
        ),
        secretariat(),
        post=secretariat(302),
        state=lambda w: list(AnswerLink.objects.values_list("pk", "revoked_at")),
        changes=True,
        refusal="403: answer links are the secretariat's to reissue",
    ),
    "inquiries:proxy_submit": Entry(
        url("inquiries:proxy_submit", lambda w: w.open.pk, org),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"confirm": "yes", "revision": str(w.answer.revision)},
        state=_answer,
        refusal="403: proxy entry is the secretariat's, even for 当別町's own people",
    ),
    "inquiries:proxy_versions": Entry(
        url("inquiries:proxy_versions", lambda w: w.open.pk, org), secretariat()
    ),
    "inquiries:offline": Entry(
        url("inquiries:offline", lambda w: w.open.pk),
        answers(200, *TOBETSU),
        post=answers(400, *TOBETSU),  # no sheet uploaded
        state=_answer,
    ),
    "inquiries:offline_sheet": Entry(
        url("inquiries:offline_sheet", lambda w: w.open.pk), answers(200, *TOBETSU)
    ),
    # --- polls ----------------------------------------------------------------------------
    "polls:index": Entry(url("polls:index"), everyone()),
    "polls:request": Entry(
        url("polls:request"),
        answers(200, "outsider", "staff", "representative", "board"),
        post=answers(200, "outsider", "staff", "representative", "board"),
        state=_count(Poll),
        refusal="403: observers may not ask; the secretariat creates polls directly",
    ),
    "polls:create": Entry(
        url("polls:create"), secretariat(), post=secretariat(200), state=_count(Poll)
    ),
    "polls:queue": Entry(url("polls:queue"), secretariat()),
    "polls:detail": Entry(
        url("polls:detail", lambda w: w.requested_poll.pk),
        answers(200, *TOBETSU_AND_SECRETARIAT, refused=404),
        refusal="404: another organization's request stays hidden",
    ),
    "polls:vote": Entry(
        url("polls:vote", lambda w: w.open_poll.pk),
        post_only(),
        post=answers(302, *MEMBERS),
        data=lambda w: {"choices": str(w.open_poll.choices.first().pk)},
        state=_count(Vote),
        changes=True,
        refusal="403: observers do not vote",
    ),
    "polls:vote_change": Entry(
        url("polls:vote_change", lambda w: w.open_poll.pk),
        post_only(),
        # Nobody has voted in the open poll yet: members are told there is nothing to change.
        post=answers(302, *MEMBERS),
        data=lambda w: {"choices": str(w.open_poll.choices.first().pk)},
        state=_count(VoteChoice),
        refusal="403: observers do not vote",
    ),
    "polls:edit": Entry(
        url("polls:edit", lambda w: w.requested_poll.pk),
        secretariat(),
        post=secretariat(200),
        state=_field(Poll, lambda w: w.requested_poll.pk, "question", "start_date", "end_date"),
    ),
    "polls:approve": Entry(
        url("polls:approve", lambda w: w.requested_poll.pk),
        post_only(),
        post=secretariat(302),
        state=_field(Poll, lambda w: w.requested_poll.pk, "status"),
        changes=True,
        refusal="403: even 当別町, which asked",
    ),
    "polls:reject": Entry(
        url("polls:reject", lambda w: w.requested_poll.pk),
        post_only(),
        post=secretariat(302),
        data=lambda w: {"reason": "内容が重複するため"},
        state=_field(Poll, lambda w: w.requested_poll.pk, "status"),
        changes=True,
    ),
    "polls:close": Entry(
        url("polls:close", lambda w: w.open_poll.pk),
        secretariat(),  # the confirmation page
        post=secretariat(302),
        data=lambda w: {"confirm": "yes"},
        state=_field(Poll, lambda w: w.open_poll.pk, "closed_early_at"),
        changes=True,
    ),
    # --- announcements: to Hokkaido (当別町, 深川市); others may not know it exists ----------
    "announcements:list": Entry(url("announcements:list"), everyone()),
    "announcements:detail": Entry(
        url("announcements:detail", lambda w: w.announcement.pk),
        answers(200, *HOKKAIDO, refused=404),
        refusal="404: 和木町 and 総務省 are not in its audience",
    ),
    "announcements:attachment": Entry(
        url("announcements:attachment", lambda w: w.announcement.pk, _announcement_file),
        answers(200, *HOKKAIDO, refused=404),
    ),
    "announcements:manage_list": Entry(url("announcements:manage_list"), secretariat()),
    "announcements:manage_create": Entry(
        url("announcements:manage_create"),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {
            "title": "セミナーのご案内",
            "body": "本文",
            "kind": "notice",
            "audience": "all",
            "send_mail": "on",
        },
        state=_count(Announcement),
        changes=True,
    ),
    "announcements:manage_detail": Entry(url("announcements:manage_detail", _draft), secretariat()),
    "announcements:manage_edit": Entry(
        url("announcements:manage_edit", _draft),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"title": "変更後", "body": "本文", "kind": "notice", "audience": "all"},
        state=_field(Announcement, _draft, "title"),
        changes=True,
    ),
    "announcements:manage_delete": Entry(
        url("announcements:manage_delete", _draft),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"confirm": "yes"},
        state=_count(Announcement),
        changes=True,
    ),
    "announcements:manage_publish": Entry(
        url("announcements:manage_publish", _draft),
        secretariat(),  # the confirmation page: audience and number of addresses
        post=secretariat(302),
        data=lambda w: {"confirm": "yes"},
        state=_field(Announcement, _draft, "status"),
        changes=True,
    ),
    "announcements:manage_schedule": Entry(
        url("announcements:manage_schedule", _draft),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {
            "day": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "time": "09:00",
        },
        state=_field(Announcement, _draft, "status"),
        changes=True,
    ),
    "announcements:manage_unschedule": Entry(
        url("announcements:manage_unschedule", _draft),
        post_only(),
        post=secretariat(302),
        state=_field(Announcement, _draft, "status"),
        refusal="a draft has nothing to unschedule: the secretariat is told so",
    ),
    "announcements:delivery": Entry(
        url("announcements:delivery", lambda w: w.announcement.pk, lambda w: w.delivery.pk),
        secretariat(),
    ),
    "announcements:delivery_resend": Entry(
        url("announcements:delivery_resend", lambda w: w.announcement.pk, lambda w: w.delivery.pk),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {"confirm": "yes"},
        state=_count(AuditEvent),
    ),
    "announcements:external": Entry(
        url("announcements:external"),
        secretariat(),
        post=secretariat(302),
        data=lambda w: {
            "add": "1",
            "add-organization_name": "未加入村",
            "add-email": "mikanyu@example.lg.jp",
        },
        state=_count(ExternalContact),
        changes=True,
    ),
    "announcements:external_active": Entry(
        url("announcements:external_active", lambda w: w.external_contact.pk),
        post_only(),
        post=secretariat(302),
        data=lambda w: {"active": "0"},
        state=_field(ExternalContact, lambda w: w.external_contact.pk, "is_active"),
        changes=True,
    ),
    "announcements:unsubscribe": Entry(
        lambda w: reverse(
            "announcements:unsubscribe", args=[unsubscribe_token(email="waki@example.lg.jp")]
        ),
        dict.fromkeys(ROLES, 200),
        post=dict.fromkeys(ROLES, 200),
        state=_count(NewsletterOptOut),
        changes=True,
        refusal="public: the signed token names the one address it unsubscribes",
    ),
    # --- e-conference room (電子会議室) -----------------------------------------------------
    # The private board's records answer 404 to everyone outside the 役員会 (深川市's "board"
    # user) and the secretariat: a private board's existence does not leak.
    **FORUM_TABLE,
    # --- group mailing lists (メーリングリスト) ---------------------------------------------
    **LISTS_TABLE,
}


# One request handler for every client: loading the middleware makes WhiteNoise scan every
# static file, which would take most of the module's time if each test did it.
_HANDLER = Client().handler


def client_for(world: World, role: str) -> Client:
    client = Client()
    client.handler = _HANDLER
    if role != "anonymous":
        client.force_login(world.council.users_by_role()[role])
    return client


# Tables whose rows a refused request must leave alone (the audit log may grow).
SNAPSHOT_APPS = ("accounts", "directory", "inquiries", "polls", "mailer", "mfa", "forum")


def _snapshot_queries() -> list[tuple[str, str]]:
    queries = []
    for app_label in SNAPSHOT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            # A login stamps last_login; that is not a change the request made.
            columns = [f.column for f in model._meta.concrete_fields if f.name != "last_login"]
            quote = connection.ops.quote_name
            sql = "SELECT {} FROM {} ORDER BY {}".format(
                ", ".join(quote(c) for c in columns),
                quote(model._meta.db_table),
                quote(model._meta.pk.column),
            )
            queries.append((model._meta.label, sql))
    return queries


def database_snapshot() -> dict[str, list]:
    """Return every row of the snapshot tables (plain SQL: it runs twice per refused POST)."""
    snapshot = {}
    with connection.cursor() as cursor:
        for label, sql in _snapshot_queries():
            cursor.execute(sql)
            snapshot[label] = cursor.fetchall()
    return snapshot


def release(response) -> None:
    """Close a response (its file, for downloads) without closing the database connection.

    Closing fires request_finished, whose close_old_connections would drop a connection that
    is inside this module's transaction (PostgreSQL; SQLite's in-memory test database is
    never closed). Django's test client does the same for the responses it closes itself.
    """
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
