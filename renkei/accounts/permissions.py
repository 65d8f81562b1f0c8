"""What each role may do: the one place that answers 'may this user do X?'.

Views, services and permission modules ask `has_capability(user, Capability.X)`; templates ask
`caps.x` (`renkei.accounts.context_processors.capabilities`). Nothing compares roles to decide
access. Object checks (is this the user's own organization?) live with the objects, in
`renkei.directory.permissions` and each feature's `permissions.py`; they start from here.
Every capability is checked somewhere (`tests/test_permissions.py` fails on an unused one) and
docs/architecture.md's table is this MATRIX.
"""

from enum import StrEnum

from renkei.accounts.models import Role, User


class Capability(StrEnum):
    VIEW_DIRECTORY = "view_directory"
    VIEW_CONTACTS = "view_contacts"
    # Every organization, person and account: roles of any kind, suspensions, login waits.
    MANAGE_DIRECTORY = "manage_directory"
    MANAGE_OWN_STAFF = "manage_own_staff"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_OUTBOX = "view_outbox"
    ANSWER_INQUIRIES = "answer_inquiries"
    # 所属長確認 of the own organization's answer.
    CONFIRM_ANSWERS = "confirm_answers"
    REQUEST_INQUIRIES = "request_inquiries"
    # Every inquiry and poll at any stage: review, open, publish, proxy entry, answer links.
    MANAGE_INQUIRIES = "manage_inquiries"
    # Results an inquiry publishes to all members (ResultsVisibility.MEMBERS).
    VIEW_MEMBER_RESULTS = "view_member_results"
    VOTE_IN_POLLS = "vote_in_polls"
    # Read the e-conference room (電子会議室) boards open to the user.
    VIEW_FORUM = "view_forum"
    # Start threads, post, reply, follow and report abuse.
    POST_IN_FORUM = "post_in_forum"
    # Set up boards; hide, lock, move and pin; every private board; abuse reports.
    MODERATE_FORUM = "moderate_forum"


_MEMBER = {
    Capability.VIEW_DIRECTORY,
    Capability.VIEW_CONTACTS,
    Capability.ANSWER_INQUIRIES,
    Capability.REQUEST_INQUIRIES,
    Capability.VOTE_IN_POLLS,
    Capability.VIEW_MEMBER_RESULTS,
    Capability.VIEW_FORUM,
    Capability.POST_IN_FORUM,
}

MATRIX: dict[str, frozenset[Capability]] = {
    Role.SECRETARIAT: frozenset(Capability),
    Role.BOARD: frozenset(_MEMBER),
    Role.REPRESENTATIVE: frozenset(
        _MEMBER | {Capability.MANAGE_OWN_STAFF, Capability.CONFIRM_ANSWERS}
    ),
    Role.STAFF: frozenset(_MEMBER),
    # Observers (e.g. 総務省) read what is public to members but see no contact details.
    Role.OBSERVER: frozenset(
        {Capability.VIEW_DIRECTORY, Capability.VIEW_MEMBER_RESULTS, Capability.VIEW_FORUM}
    ),
}


def has_capability(user: User, capability: Capability) -> bool:
    """Tell whether the user's role grants the capability."""
    if not user.is_authenticated or not user.is_active:
        return False
    return capability in MATRIX.get(user.role, frozenset())
