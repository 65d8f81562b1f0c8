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
# The requester's members may change or delete the inquiry.
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
            refused="審査を依頼できるのは下書きまたは差戻しの照会のみです。",
        ),
        Transition(
            "approve",
            (S.REVIEW,),
            S.OPEN,
            "承認",
            capability=Capability.MANAGE_INQUIRIES,
            mail="照会先の通知先へ照会と回答用リンク、作成者へ承認、照会団体へ開始の通知",
            refused="承認できるのは審査中の照会のみです。",
        ),
        Transition(
            "reject",
            (S.REVIEW,),
            S.REJECTED,
            "差戻し",
            capability=Capability.MANAGE_INQUIRIES,
            mail="作成者へ差戻しの理由",
            refused="差し戻せるのは審査中の照会のみです。",
        ),
        Transition(
            "open",
            (S.DRAFT, S.REVIEW),
            S.OPEN,
            "照会の開始",
            capability=Capability.MANAGE_INQUIRIES,
            mail="照会先の通知先へ照会と回答用リンク、照会団体へ開始の通知",
            refused="開始できるのは下書きまたは審査中の照会のみです。",
        ),
        # The requester's members run their own inquiry once it is open (permissions.can_follow).
        Transition(
            "extend",
            (S.OPEN, S.CLOSED),
            S.OPEN,
            "期限の延長",
            capability=Capability.REQUEST_INQUIRIES,
            mail="照会先の通知先へ新しい期限と回答用リンク",
            refused="期限を延長できるのは受付中または締切後の照会のみです。",
        ),
        Transition(
            "close",
            (S.OPEN,),
            S.CLOSED,
            "締切",
            capability=Capability.REQUEST_INQUIRIES,
            mail="照会団体へ締切の通知",
            refused="締め切れるのは受付中の照会のみです。",
        ),
        Transition(
            "publish",
            (S.CLOSED,),
            S.PUBLISHED,
            "結果の公開",
            capability=Capability.REQUEST_INQUIRIES,
            mail="結果を閲覧できる照会先の通知先と照会団体へ結果公開の通知",
            refused="結果を公開できるのは締切後の照会のみです。",
        ),
    ),
)
