"""The announcement's workflow: draft → scheduled or published (renkei.workflow)."""

from renkei.accounts.permissions import Capability
from renkei.announcements.models import Announcement, AnnouncementStatus
from renkei.workflow.transitions import Transition, Workflow

S = AnnouncementStatus

# The secretariat may still change the text, audience and attachments.
EDITABLE = (S.DRAFT, S.SCHEDULED)

ANNOUNCEMENT_WORKFLOW = Workflow(
    model=Announcement,
    statuses=AnnouncementStatus,
    transitions=(
        Transition(
            "schedule",
            (S.DRAFT,),
            S.SCHEDULED,
            "公開予約",
            capability=Capability.MANAGE_ANNOUNCEMENTS,
            mail="予定日時に公開し、メール配信を選んだ場合は対象の団体の通知先と利用者へ送信",
            refused="公開を予約できるのは下書きのお知らせのみです。",
        ),
        Transition(
            "unschedule",
            (S.SCHEDULED,),
            S.DRAFT,
            "予約の取消",
            capability=Capability.MANAGE_ANNOUNCEMENTS,
            refused="予約を取り消せるのは公開予約中のお知らせのみです。",
        ),
        Transition(
            "publish",
            (S.DRAFT, S.SCHEDULED),
            S.PUBLISHED,
            "公開",
            capability=Capability.MANAGE_ANNOUNCEMENTS,
            mail="メール配信を選んだ場合は対象の団体の通知先と利用者へ送信",
            refused="公開できるのは下書きまたは公開予約中のお知らせのみです。",
        ),
    ),
)
