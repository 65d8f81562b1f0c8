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
    # お知らせ addressed to the user's organization (新着情報).
    VIEW_ANNOUNCEMENTS = "view_announcements"
    # Write, publish and deliver お知らせ; the delivery log and the non-member address list.
    MANAGE_ANNOUNCEMENTS = "manage_announcements"
    # Seminars and trainings: write, publish, cancel, see registrations, check people in.
    MANAGE_EVENTS = "manage_events"
    # Register oneself or colleagues for member events.
    ATTEND_EVENTS = "attend_events"
    # Meetings open to members, and the meetings one is invited to.
    VIEW_MEETINGS = "view_meetings"
    # Schedule meetings, invite, record attendance, write and publish minutes.
    MANAGE_MEETINGS = "manage_meetings"
    # The board area (役員専用): board-only meetings, their materials and draft minutes.
    VIEW_BOARD_AREA = "view_board_area"
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
    Capability.VIEW_ANNOUNCEMENTS,
    Capability.ATTEND_EVENTS,
    Capability.VIEW_MEETINGS,
    Capability.VIEW_FORUM,
    Capability.POST_IN_FORUM,
}

MATRIX: dict[str, frozenset[Capability]] = {
    Role.SECRETARIAT: frozenset(Capability),
    Role.BOARD: frozenset(_MEMBER | {Capability.VIEW_BOARD_AREA}),
    Role.REPRESENTATIVE: frozenset(
        _MEMBER | {Capability.MANAGE_OWN_STAFF, Capability.CONFIRM_ANSWERS}
    ),
    Role.STAFF: frozenset(_MEMBER),
    # Observers (e.g. 総務省) read what is public to members but see no contact details.
    Role.OBSERVER: frozenset(
        {
            Capability.VIEW_DIRECTORY,
            Capability.VIEW_MEMBER_RESULTS,
            Capability.VIEW_ANNOUNCEMENTS,
            Capability.ATTEND_EVENTS,
            Capability.VIEW_MEETINGS,
            Capability.VIEW_FORUM,
        }
    ),
}


def has_capability(user: User, capability: Capability) -> bool:
    """Tell whether the user's role grants the capability."""
    if not user.is_authenticated or not user.is_active:
        return False
    return capability in MATRIX.get(user.role, frozenset())
