"""The minutes' transition table: draft → circulated to attendees → confirmed → (corrected) draft."""

from renkei.accounts.permissions import Capability
from renkei.meetings.models import Minutes, MinutesStatus
from renkei.workflow.transitions import Transition, Workflow

MINUTES_WORKFLOW = Workflow(
    model=Minutes,
    statuses=MinutesStatus,
    transitions=(
        Transition(
            "circulate",
            (MinutesStatus.DRAFT,),
            MinutesStatus.CIRCULATED,
            "出席者への回覧",
            capability=Capability.MANAGE_MEETINGS,
            mail="出席者へ会議録案の回覧と意見の依頼",
        ),
        Transition(
            "withdraw",
            (MinutesStatus.CIRCULATED,),
            MinutesStatus.DRAFT,
            "回覧の取りやめ（下書きに戻す）",
            capability=Capability.MANAGE_MEETINGS,
        ),
        Transition(
            "confirm",
            (MinutesStatus.DRAFT, MinutesStatus.CIRCULATED),
            MinutesStatus.CONFIRMED,
            "確定",
            capability=Capability.MANAGE_MEETINGS,
            mail="出席者へ会議録確定の通知",
        ),
        Transition(
            "correct",
            (MinutesStatus.CONFIRMED,),
            MinutesStatus.DRAFT,
            "訂正（新しい版の作成）",
            capability=Capability.MANAGE_MEETINGS,
            refused="確定した会議録だけを訂正できます。",
        ),
    ),
)
