"""The inquiry's workflow: its statuses in groups, and its transition table.

Every status change of an inquiry goes through `INQUIRY_WORKFLOW.apply` (renkei.workflow):
a conditional UPDATE from the status the actor saw, the audit event and the queued mail in one
transaction. Object checks (is this the requester? the secretariat?) stay in permissions.py;
the table names the role capability each step needs and what mail it sends.
"""

from renkei.accounts.permissions import Capability
from renkei.inquiries.models import Inquiry, InquiryStatus
from renkei.workflow.transitions import Transition, Workflow

S = InquiryStatus

# Being drafted: questions, targets and attachments may still change.
DRAFTING = (S.DRAFT, S.REVIEW, S.REJECTED)
# The requester's members may change the inquiry (the secretariat also while in review).
REQUESTER_EDITABLE = (S.DRAFT, S.REJECTED)
# The targets exist and see the inquiry.
STARTED = (S.OPEN, S.CLOSED, S.PUBLISHED)

INQUIRY_WORKFLOW = Workflow(
    model=Inquiry,
    statuses=InquiryStatus,
    transitions=(
        Transition(
            "submit_for_review",
            (S.DRAFT, S.REJECTED),
            S.REVIEW,
            "審査依頼",
            capability=Capability.REQUEST_INQUIRIES,
            mail="事務局へ審査依頼の通知",
        ),
        Transition(
            "approve",
            (S.REVIEW,),
            S.OPEN,
            "承認",
            capability=Capability.MANAGE_INQUIRIES,
            mail="照会先の通知先へ照会の通知、照会団体へ承認と開始の通知",
        ),
        Transition(
            "reject",
            (S.REVIEW,),
            S.REJECTED,
            "差戻し",
            capability=Capability.MANAGE_INQUIRIES,
            mail="作成者へ差戻しの理由",
        ),
        Transition(
            "open",
            (S.DRAFT, S.REVIEW),
            S.OPEN,
            "照会の開始",
            capability=Capability.MANAGE_INQUIRIES,
            mail="照会先の通知先へ照会の通知、照会団体へ開始の通知",
        ),
        Transition(
            "extend",
            (S.OPEN, S.CLOSED),
            S.OPEN,
            "期限の延長",
            capability=Capability.MANAGE_INQUIRIES,
            mail="照会先の通知先へ新しい期限",
        ),
        Transition(
            "close",
            (S.OPEN,),
            S.CLOSED,
            "締切",
            capability=Capability.MANAGE_INQUIRIES,
            mail="照会団体へ締切の通知",
        ),
        Transition(
            "publish",
            (S.CLOSED,),
            S.PUBLISHED,
            "結果の公開",
            capability=Capability.MANAGE_INQUIRIES,
            mail="照会先と照会団体の通知先へ結果公開の通知",
        ),
    ),
)
