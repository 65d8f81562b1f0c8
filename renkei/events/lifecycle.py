"""The transition tables of events and registrations (see renkei.workflow)."""

from renkei.accounts.permissions import Capability
from renkei.events.models import (
    Event,
    EventStatus,
    Questionnaire,
    QuestionnaireStatus,
    Registration,
    RegistrationStatus,
)
from renkei.workflow.transitions import Transition, Workflow

EVENT_WORKFLOW = Workflow(
    model=Event,
    statuses=EventStatus,
    transitions=(
        Transition(
            "publish",
            (EventStatus.DRAFT,),
            EventStatus.PUBLISHED,
            "公開",
            capability=Capability.MANAGE_EVENTS,
            mail="なし（会員の「セミナー・研修」一覧に表示され、申込の受付が始まります）",
            refused="公開できるのは準備中の催しのみです。",
        ),
        Transition(
            "cancel",
            (EventStatus.DRAFT, EventStatus.PUBLISHED),
            EventStatus.CANCELLED,
            "中止",
            capability=Capability.MANAGE_EVENTS,
            mail="申込者全員（参加確定・キャンセル待ち・確認待ち）に中止のお知らせ",
            refused="この催しはすでに中止されています。",
        ),
    ),
)

UNCONFIRMED, CONFIRMED, WAITLISTED, CANCELLED = (
    RegistrationStatus.UNCONFIRMED,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
)

# Registrations change by the registrant's own link as well as by logged-in users: the
# steps need no capability; the views decide who may take them.
REGISTRATION_WORKFLOW = Workflow(
    model=Registration,
    statuses=RegistrationStatus,
    transitions=(
        Transition(
            "seat", (UNCONFIRMED,), CONFIRMED, "参加確定", mail="申込者に参加確定のお知らせ"
        ),
        Transition(
            "waitlist",
            (UNCONFIRMED,),
            WAITLISTED,
            "キャンセル待ち",
            mail="申込者にキャンセル待ちのお知らせ",
        ),
        Transition(
            "promote",
            (WAITLISTED,),
            CONFIRMED,
            "繰り上げ",
            mail="繰り上がった申込者に参加確定のお知らせ",
        ),
        Transition(
            "cancel",
            (UNCONFIRMED, CONFIRMED, WAITLISTED),
            CANCELLED,
            "取消",
            mail="申込者に取消の確認",
            refused="この申込はすでに取り消されています。",
        ),
    ),
)

QUESTIONNAIRE_WORKFLOW = Workflow(
    model=Questionnaire,
    statuses=QuestionnaireStatus,
    transitions=(
        Transition(
            "open",
            (QuestionnaireStatus.DRAFT,),
            QuestionnaireStatus.OPEN,
            "回答受付の開始",
            capability=Capability.MANAGE_EVENTS,
            mail="なし（参加者の申込確認ページ、または会員の研修計画のページに回答欄が表示されます）",
            refused="回答受付を始められるのは準備中のアンケートのみです。",
        ),
        Transition(
            "close",
            (QuestionnaireStatus.OPEN,),
            QuestionnaireStatus.CLOSED,
            "締切",
            capability=Capability.MANAGE_EVENTS,
            mail="なし",
            refused="締め切れるのは回答受付中のアンケートのみです。",
        ),
    ),
)
