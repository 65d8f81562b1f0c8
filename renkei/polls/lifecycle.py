"""The poll request's review: its transition table (see renkei.workflow)."""

from renkei.accounts.permissions import Capability
from renkei.polls.models import Poll, PollStatus
from renkei.workflow.transitions import Transition, Workflow

POLL_WORKFLOW = Workflow(
    model=Poll,
    statuses=PollStatus,
    transitions=(
        Transition(
            "approve",
            (PollStatus.REQUESTED,),
            PollStatus.APPROVED,
            "承認",
            capability=Capability.MANAGE_INQUIRIES,
            mail="なし（調査は期間の初日から会員に表示されます）",
            refused="承認できるのは承認待ちの調査のみです。",
        ),
        Transition(
            "reject",
            (PollStatus.REQUESTED,),
            PollStatus.REJECTED,
            "却下",
            capability=Capability.MANAGE_INQUIRIES,
            mail="なし（依頼した団体は調査コーナーで理由を読めます）",
            refused="却下できるのは承認待ちの調査のみです。",
        ),
    ),
)
