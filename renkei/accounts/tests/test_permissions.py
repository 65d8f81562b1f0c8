import pytest

from renkei.accounts.models import Role, User
from renkei.accounts.permissions import MATRIX, Capability, has_capability

# The whole matrix, written out so that a change to a role's rights is a visible test change.
EXPECTED = {
    Role.SECRETARIAT: set(Capability),
    Role.BOARD: {
        "view_directory",
        "view_contacts",
        "answer_inquiries",
        "request_inquiries",
        "vote_in_polls",
        "view_board_area",
    },
    Role.REPRESENTATIVE: {
        "view_directory",
        "view_contacts",
        "answer_inquiries",
        "request_inquiries",
        "vote_in_polls",
        "manage_own_staff",
    },
    Role.STAFF: {
        "view_directory",
        "view_contacts",
        "answer_inquiries",
        "request_inquiries",
        "vote_in_polls",
    },
    Role.OBSERVER: {"view_directory"},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("capability", list(Capability))
def test_role_grants_exactly_the_expected_capabilities(role, capability):
    user = User(username="u", role=role, is_active=True)
    assert has_capability(user, capability) is (capability in EXPECTED[role])


def test_every_role_is_in_the_matrix():
    assert set(MATRIX) == set(Role)


def test_deactivated_user_has_no_capability():
    user = User(username="u", role=Role.SECRETARIAT, is_active=False)
    assert not any(has_capability(user, c) for c in Capability)
