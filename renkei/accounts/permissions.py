"""What each role may do: the one place that answers 'may this user do X?'.

Object checks (is this the user's own organization?) live with the objects, in
`renkei.directory.permissions` and each feature's `permissions.py`; they start from here.
"""

from enum import StrEnum

from renkei.accounts.models import Role, User


class Capability(StrEnum):
    VIEW_DIRECTORY = "view_directory"
    VIEW_CONTACTS = "view_contacts"
    MANAGE_DIRECTORY = "manage_directory"
    INVITE_REPRESENTATIVES = "invite_representatives"
    MANAGE_OWN_STAFF = "manage_own_staff"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_OUTBOX = "view_outbox"
    VIEW_BOARD_AREA = "view_board_area"
    ANSWER_INQUIRIES = "answer_inquiries"
    REQUEST_INQUIRIES = "request_inquiries"
    MANAGE_INQUIRIES = "manage_inquiries"
    VOTE_IN_POLLS = "vote_in_polls"


_MEMBER = {
    Capability.VIEW_DIRECTORY,
    Capability.VIEW_CONTACTS,
    Capability.ANSWER_INQUIRIES,
    Capability.REQUEST_INQUIRIES,
    Capability.VOTE_IN_POLLS,
}

MATRIX: dict[str, frozenset[Capability]] = {
    Role.SECRETARIAT: frozenset(Capability),
    Role.BOARD: frozenset(_MEMBER | {Capability.VIEW_BOARD_AREA}),
    Role.REPRESENTATIVE: frozenset(_MEMBER | {Capability.MANAGE_OWN_STAFF}),
    Role.STAFF: frozenset(_MEMBER),
    # Observers (e.g. 総務省) read what is public to members but see no contact details.
    Role.OBSERVER: frozenset({Capability.VIEW_DIRECTORY}),
}


def has_capability(user: User, capability: Capability) -> bool:
    """Tell whether the user's role grants the capability."""
    if not user.is_authenticated or not user.is_active:
        return False
    return capability in MATRIX.get(user.role, frozenset())


def is_secretariat(user: User) -> bool:
    """Tell whether the user works for the council's secretariat."""
    return user.is_authenticated and user.is_active and user.role == Role.SECRETARIAT
