"""The minutes' transition table: draft → circulated to attendees → confirmed → (corrected) draft."""

from renkei.accounts.permissions import Capability
from renkei.meetings.models import Minutes, MinutesStatus
from renkei.workflow.transitions import Transition, Workflow

MINUTES_WORKFLOW = Workflow(
    model=Minutes,
    statuses=MinutesStatus,
    transitions=(
        Transition(
            name="circulate",
            sources=(MinutesStatus.DRAFT,),
            target=MinutesStatus.CIRCULATED,
            label="出席者への回覧",
            capability=Capability.MANAGE_MEETINGS,
            mail="出席者へ会議録案の回覧と意見の依頼",
        ),
        Transition(
            name="withdraw",
            sources=(MinutesStatus.CIRCULATED,),
            target=MinutesStatus.DRAFT,
            label="回覧の取りやめ（下書きに戻す）",
            capability=Capability.MANAGE_MEETINGS,
        ),
        Transition(
            name="confirm",
            sources=(MinutesStatus.DRAFT, MinutesStatus.CIRCULATED),
            target=MinutesStatus.CONFIRMED,
            label="確定",
            capability=Capability.MANAGE_MEETINGS,
            mail="出席者へ会議録確定の通知",
        ),
        Transition(
            name="correct",
            sources=(MinutesStatus.CONFIRMED,),
            target=MinutesStatus.DRAFT,
            label="訂正（新しい版の作成）",
            capability=Capability.MANAGE_MEETINGS,
            refused="確定した会議録だけを訂正できます。",
        ),
    ),
)
