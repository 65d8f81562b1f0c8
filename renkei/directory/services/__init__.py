"""Changing the directory, one module per topic; this package names the public functions.

common (DirectoryError and the save that writes its audit row), organizations (membership,
abolition, hand-entered records, the notification mailbox), people (new people, transfers,
departures, corrections), posts (連絡窓口), groups, invitations and profile (a member's own
name, phone and e-mail address). Code in this app imports from the topic module; views, other
apps and tests may use these names.
"""

from renkei.directory.services.common import DirectoryError
from renkei.directory.services.groups import group_member_add, group_member_remove, group_save
from renkei.directory.services.invitations import (
    INVITATION_VALID_DAYS,
    invitation_accept,
    invitation_create,
    invitation_is_usable,
    invitation_revoke,
)
from renkei.directory.services.organizations import (
    membership_end,
    membership_start,
    organization_abolish,
    organization_notification_email_set,
    organization_save,
)
from renkei.directory.services.people import (
    person_create,
    person_leave,
    person_transfer,
    person_update,
)
from renkei.directory.services.posts import contact_post_create, post_assign
from renkei.directory.services.profile import (
    EMAIL_CHANGE_SALT,
    EMAIL_CHANGE_VALID_HOURS,
    email_change_confirm,
    email_change_read,
    email_change_request,
    profile_update,
)

__all__ = [
    "EMAIL_CHANGE_SALT",
    "EMAIL_CHANGE_VALID_HOURS",
    "INVITATION_VALID_DAYS",
    "DirectoryError",
    "contact_post_create",
    "email_change_confirm",
    "email_change_read",
    "email_change_request",
    "group_member_add",
    "group_member_remove",
    "group_save",
    "invitation_accept",
    "invitation_create",
    "invitation_is_usable",
    "invitation_revoke",
    "membership_end",
    "membership_start",
    "organization_abolish",
    "organization_notification_email_set",
    "organization_save",
    "person_create",
    "person_leave",
    "person_transfer",
    "person_update",
    "post_assign",
    "profile_update",
]
