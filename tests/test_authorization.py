"""Every URL pattern of the project against every role: the answer each one gets.

The expected answers are tests/authorization_matrix.py's TABLE; see its docstring.
"""

import pytest
from django.urls import get_resolver

from renkei.core.security_headers import CONTENT_SECURITY_POLICY
from renkei.inquiries.models import InquiryStatus
from renkei.polls.models import PollStatus
from tests.authorization_matrix import (
    LOGIN,
    ROLES,
    SKIPPED,
    TABLE,
    _skip_reason,
    _walk,
    client_for,
    database_snapshot,
    project_routes,
    release,
)
from tests.matrix_objects import World


def check_answer(response, expected: int | str, what: str) -> None:
    """Assert the response is the expected status (or the login redirect)."""
    if expected == LOGIN:
        assert response.status_code == 302, what
        assert response["Location"].startswith("/accounts/login/"), what
        return
    assert response.status_code == expected, what
    if expected == 302:
        location = response["Location"]
        assert not location.startswith(("/accounts/login/", "/accounts/2fa/")), what


def test_every_pattern_has_an_entry():
    routes = project_routes()
    unnamed = [r.route for r in routes if not r.name]
    assert not unnamed, f"URL patterns without a name cannot have a matrix entry: {unnamed}"
    names = {r.name for r in routes}
    missing = sorted(names - set(TABLE))
    assert not missing, f"URL patterns without an entry in TABLE: {missing}"
    stale = sorted(set(TABLE) - names)
    assert not stale, f"TABLE entries for patterns that no longer exist: {stale}"


def test_every_skipped_group_exists_and_allauth_stays_under_accounts():
    routes = list(_walk(get_resolver().url_patterns))
    for label, _, _ in SKIPPED:
        assert any(_skip_reason(r) == label for r in routes), f"no pattern in {label}"
    allauth = [r for r in routes if (_skip_reason(r) or "").startswith("allauth")]
    assert allauth and all(r.route.startswith("accounts/") for r in allauth)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(r.name for r in project_routes() if r.name))
def test_role_gets_the_expected_answer(records: World, name: str, role: str):
    entry = TABLE.get(name)
    if entry is None:
        pytest.fail(f"URL pattern {name!r} has no entry in the authorization matrix (TABLE)")
    path = entry.url(records)
    client = client_for(records, role)

    response = client.get(path)
    check_answer(response, entry.get[role], f"GET {path} as {role}")
    # Every page, whatever its answer, carries the CSP; no logged-in page may be stored.
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
    assert role == "anonymous" or response["Cache-Control"] == "no-store, private", path
    release(response)

    if entry.post is None:
        return
    expected = entry.post[role]
    assert entry.state is not None, f"{name}: an entry that POSTs names the state it checks"
    refused = expected == LOGIN or expected in (403, 404, 405)
    state_before = entry.state(records)
    before = database_snapshot() if refused else {}

    response = client.post(path, entry.data(records))
    check_answer(response, expected, f"POST {path} as {role}")
    release(response)

    if refused:
        assert entry.state(records) == state_before, f"refused POST {path} as {role} changed it"
        after = database_snapshot()
        changed = [label for label in before if before[label] != after[label]]
        assert not changed, f"refused POST {path} as {role} changed {changed}"
    elif entry.changes:
        assert entry.state(records) != state_before, f"POST {path} as {role} changed nothing"


def test_the_records_really_belong_to_other_organizations(records: World):
    """The refusals above are real: each record is another organization's, as described."""
    council = records.council
    assert list(records.open.targets.values_list("organization", flat=True)) == [
        council.member_org.pk
    ]
    assert records.answer.organization_id == council.member_org.pk
    assert records.answer_file.answer_id == records.answer.pk
    assert records.draft.requester_id == council.member_org.pk
    assert records.draft.status == InquiryStatus.DRAFT
    assert records.review.requester_id == council.board_org.pk
    assert records.review.status == InquiryStatus.REVIEW
    assert records.requested.requester_id == council.member_org.pk
    assert records.requested.status == InquiryStatus.OPEN
    assert set(records.requested.targets.values_list("organization", flat=True)) == {
        council.other_org.pk,
        council.board_org.pk,
    }
    assert records.export.requested_by_id == council.secretariat.pk
    assert records.requested_poll.requesting_organization_id == council.member_org.pk
    assert records.requested_poll.status == PollStatus.REQUESTED
    assert records.invitation.organization_id == council.member_org.pk
    assert council.staff.person.organization_id == council.member_org.pk
