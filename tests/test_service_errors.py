"""Every app's service error is a renkei.core.errors.ServiceError, so views catch one class."""

import importlib
import inspect
import pkgutil

import renkei
from renkei.accounts.services import AccountError
from renkei.announcements.services import AnnouncementError
from renkei.core.errors import ServiceError
from renkei.directory.municipalities import MunicipalityFileError
from renkei.directory.services import DirectoryError
from renkei.events.services import EventError
from renkei.forum.services import ForumError
from renkei.inquiries.export_tasks import ExportError
from renkei.inquiries.offline.layout import OfflineSheetError
from renkei.inquiries.services.errors import AnswerConflictError, AnswerLinkError, InquiryError
from renkei.meetings.services import MeetingError
from renkei.polls.services import PollError
from renkei.workflow.transitions import TransitionError


def test_every_apps_service_error_is_a_service_error():
    for error in (
        AccountError,
        AnnouncementError,
        DirectoryError,
        EventError,
        ForumError,
        MeetingError,
        MunicipalityFileError,
        InquiryError,
        AnswerConflictError,
        AnswerLinkError,
        ExportError,
        OfflineSheetError,
        PollError,
        TransitionError,
    ):
        assert issubclass(error, ServiceError), error


def test_every_error_a_services_module_defines_is_a_service_error():
    defined = []
    for app in pkgutil.iter_modules(renkei.__path__):
        try:
            module = importlib.import_module(f"renkei.{app.name}.services")
        except ModuleNotFoundError:
            continue
        defined += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, Exception) and cls.__module__.startswith(module.__name__)
        ]
    assert MeetingError in defined and PollError in defined
    assert [cls for cls in defined if not issubclass(cls, ServiceError)] == []
