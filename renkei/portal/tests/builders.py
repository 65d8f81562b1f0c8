"""Rows the home page's tests start from."""

import datetime as dt

from django.utils import timezone

from renkei.directory.models import Organization
from renkei.inquiries.models import Inquiry, InquiryStatus, Target


def open_inquiry(*, council, title: str, organizations: list[Organization]) -> Inquiry:
    """Return an open inquiry of the board's organization to the given organizations."""
    inquiry = Inquiry.objects.create(
        title=title,
        requester=council.board_org,
        status=InquiryStatus.OPEN,
        deadline=timezone.now() + dt.timedelta(days=10),
    )
    Target.objects.bulk_create(Target(inquiry=inquiry, organization=o) for o in organizations)
    return inquiry
