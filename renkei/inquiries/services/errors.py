"""What the inquiry services refuse with: one ServiceError family, messages for the user."""

from renkei.core.errors import ServiceError
from renkei.inquiries.models import Question


class InquiryError(ServiceError):
    """A request the inquiry's state or data does not allow; the message is for the user."""


class AnswerConflictError(InquiryError):
    """Someone saved the answer after the version the user started from."""


class AnswerIncompleteError(InquiryError):
    """Required questions are unanswered."""

    def __init__(self, missing: list[Question]) -> None:
        codes = "、".join(question.code for question in missing)
        super().__init__(f"必須の設問に回答がありません（{codes}）。")
        self.missing = missing


class AnswerLinkError(InquiryError):
    """An answer link that is malformed, revoked or past its inquiry's deadline."""
