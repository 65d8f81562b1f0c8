"""Writing inquiries, one module per topic; this package names the public functions.

errors (InquiryError and its kinds), authoring (drafts, attachments, targets, copies),
questions (the question editor's rules; the kind-specific ones are the question-kind
registry's settings_problem/settings_kept), lifecycle (review, opening, closing, results),
reminders, answer_links and answering (save, confirm, submit, proxies). Code in this app
imports from the topic module; other apps, commands and tests may use these names.
"""

from renkei.inquiries.services.answer_links import (
    answer_link_check,
    answer_link_find,
    answer_link_record,
    answer_link_reissue,
    answer_link_resolve,
    answer_link_revoke,
    answer_link_start,
)
from renkei.inquiries.services.answering import (
    answer_accepting_check,
    answer_confirm,
    answer_request_confirmation,
    answer_save,
    answer_submit,
)
from renkei.inquiries.services.authoring import (
    INQUIRY_FIELDS,
    InquiryDraft,
    inquiry_attachment_add,
    inquiry_attachment_delete,
    inquiry_copy,
    inquiry_create,
    inquiry_delete,
    inquiry_targets_set,
    inquiry_update,
)
from renkei.inquiries.services.errors import (
    AnswerConflictError,
    AnswerIncompleteError,
    AnswerLinkError,
    InquiryError,
)
from renkei.inquiries.services.lifecycle import (
    REQUESTER_EVENTS,
    inquiry_approve,
    inquiry_close,
    inquiry_extend_deadline,
    inquiry_open,
    inquiry_publish_results,
    inquiry_reject,
    inquiry_submit_for_review,
)
from renkei.inquiries.services.questions import (
    CONDITION_KINDS,
    QuestionDraft,
    question_create,
    question_delete,
    question_move,
    question_update,
    question_validate,
)
from renkei.inquiries.services.reminders import (
    automatic_reminder_day,
    inquiry_remind,
    inquiry_reminders_send_due,
)

__all__ = [
    "CONDITION_KINDS",
    "INQUIRY_FIELDS",
    "REQUESTER_EVENTS",
    "AnswerConflictError",
    "AnswerIncompleteError",
    "AnswerLinkError",
    "InquiryDraft",
    "InquiryError",
    "QuestionDraft",
    "answer_accepting_check",
    "answer_confirm",
    "answer_link_check",
    "answer_link_find",
    "answer_link_record",
    "answer_link_reissue",
    "answer_link_resolve",
    "answer_link_revoke",
    "answer_link_start",
    "answer_request_confirmation",
    "answer_save",
    "answer_submit",
    "automatic_reminder_day",
    "inquiry_approve",
    "inquiry_attachment_add",
    "inquiry_attachment_delete",
    "inquiry_close",
    "inquiry_copy",
    "inquiry_create",
    "inquiry_delete",
    "inquiry_extend_deadline",
    "inquiry_open",
    "inquiry_publish_results",
    "inquiry_reject",
    "inquiry_remind",
    "inquiry_reminders_send_due",
    "inquiry_submit_for_review",
    "inquiry_targets_set",
    "inquiry_update",
    "question_create",
    "question_delete",
    "question_move",
    "question_update",
    "question_validate",
]
