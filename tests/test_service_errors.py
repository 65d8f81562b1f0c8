"""Every app's service error is a renkei.core.errors.ServiceError, so views catch one class."""

from renkei.accounts.services import AccountError
from renkei.core.errors import ServiceError
from renkei.directory.municipalities import MunicipalityFileError
from renkei.directory.services import DirectoryError
from renkei.inquiries.export_tasks import ExportError
from renkei.inquiries.offline.layout import OfflineSheetError
from renkei.inquiries.services.errors import AnswerConflictError, AnswerLinkError, InquiryError
from renkei.workflow.transitions import TransitionError


def test_every_apps_service_error_is_a_service_error():
    for error in (
        AccountError,
        DirectoryError,
        MunicipalityFileError,
        InquiryError,
        AnswerConflictError,
        AnswerLinkError,
        ExportError,
        OfflineSheetError,
        TransitionError,
    ):
        assert issubclass(error, ServiceError), error
