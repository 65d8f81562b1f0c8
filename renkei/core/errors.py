"""The one error a service raises when its rules refuse a change.

Every app's error (InquiryError, DirectoryError, AccountError, TransitionError …) subclasses
`ServiceError`, so a view catches one class and a form shows the message where it belongs:
`renkei.core.forms.service_error_add` puts it on the field the error names, or above the
form when it names none (or a field the form does not have).
"""


class ServiceError(Exception):
    """A change the rules refuse; the message is Japanese, for the user, and may name a field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
