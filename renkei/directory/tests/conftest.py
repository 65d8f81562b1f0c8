"""Fixtures of the directory's tests: organizations joining and leaving around a date."""

import datetime as dt

import pytest

from renkei.directory.models import MembershipCategory, OrganizationKind
from renkei.testing import make_organization

APRIL_1 = dt.date(2026, 4, 1)


@pytest.fixture
def history(council):
    """Organizations whose membership starts or ends around 1 April 2026."""
    make_organization(
        code="012246",
        name="千歳市",
        kind=OrganizationKind.CITY,
        prefecture_code="01",
        member_since=dt.date(2026, 4, 2),
    )
    left = make_organization(
        code="012131", name="苫小牧市", kind=OrganizationKind.CITY, prefecture_code="01"
    )
    left.memberships.update(left_on=APRIL_1)
    still = make_organization(
        code="014630", name="占冠村", kind=OrganizationKind.VILLAGE, prefecture_code="01"
    )
    still.memberships.update(left_on=APRIL_1 + dt.timedelta(days=1))
    make_organization(
        code="131016",
        name="千代田区",
        kind=OrganizationKind.SPECIAL_WARD,
        prefecture_code="13",
        member_since=APRIL_1,
        category=MembershipCategory.SPECIAL,
    )
