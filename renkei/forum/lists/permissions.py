"""Who may read, post to and moderate which list: fetch and check in one call.

A list's archive is read by its group's current members (the person, or anyone of a member
organization, as for private boards: `renkei.forum.permissions.group_ids_of`) and by those
who moderate the forum (the secretariat). Anything else answers 404, so a list's existence
does not leak. Held messages are decided by the list's moderators and the secretariat.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.directory.permissions import require
from renkei.forum.lists.models import (
    ListAttachment,
    ListMessage,
    ListThread,
    MailingList,
    MessageStatus,
)
from renkei.forum.permissions import group_ids_of


def can_manage(user: User) -> bool:
    """Tell whether the user sets up lists and reads every archive (the secretariat)."""
    return has_capability(user, Capability.MODERATE_FORUM)


def readable_lists(user: User) -> QuerySet[MailingList]:
    """Return the lists whose archive the user may read."""
    if not has_capability(user, Capability.VIEW_FORUM):
        return MailingList.objects.none()
    if can_manage(user):
        return MailingList.objects.all()
    return MailingList.objects.filter(is_active=True, group_id__in=group_ids_of(user))


def _may_read(user: User, mailing_list: MailingList) -> bool:
    if not has_capability(user, Capability.VIEW_FORUM):
        return False
    if can_manage(user):
        return True
    return mailing_list.is_active and mailing_list.group_id in group_ids_of(user)


def may_moderate(user: User, mailing_list: MailingList) -> bool:
    """Tell whether the user decides the held messages of this list."""
    if can_manage(user):
        return True
    return _may_read(user, mailing_list) and any(
        m.pk == user.pk for m in mailing_list.moderators.all()
    )


def get_list_for(user: User, pk: int) -> MailingList:
    """Return a list the user may read, or 404."""
    mailing_list = get_object_or_404(MailingList.objects.select_related("group"), pk=pk)
    if not _may_read(user, mailing_list):
        raise Http404
    return mailing_list


def get_list_to_post_in(user: User, pk: int) -> MailingList:
    """Return an active list the user may post to on the web, or 404."""
    mailing_list = get_list_for(user, pk)
    if not mailing_list.is_active or not has_capability(user, Capability.POST_IN_FORUM):
        raise Http404
    return mailing_list


def get_list_to_manage(user: User, pk: int) -> MailingList:
    """Return any list for the secretariat to configure; 403 for others."""
    require(user, Capability.MODERATE_FORUM)
    return get_object_or_404(MailingList.objects.select_related("group"), pk=pk)


def get_list_to_moderate(user: User, pk: int) -> MailingList:
    """Return a list whose held messages the user decides, or 404."""
    mailing_list = get_list_for(user, pk)
    if not may_moderate(user, mailing_list):
        raise Http404
    return mailing_list


def get_thread_for(user: User, pk: int) -> ListThread:
    """Return a thread of a list the user may read, or 404."""
    thread = get_object_or_404(ListThread.objects.select_related("mailing_list__group"), pk=pk)
    if not _may_read(user, thread.mailing_list):
        raise Http404
    return thread


def get_message_for(user: User, pk: int) -> ListMessage:
    """Return a published message of a list the user may read, or 404.

    A held or rejected message is shown only to those who moderate its list.
    """
    message = get_object_or_404(
        ListMessage.objects.select_related("mailing_list__group", "thread", "parent"), pk=pk
    )
    if not _may_read(user, message.mailing_list):
        raise Http404
    if message.status != MessageStatus.PUBLISHED and not may_moderate(user, message.mailing_list):
        raise Http404
    return message


def get_message_to_reply_to(user: User, pk: int) -> ListMessage:
    """Return a published message the user may answer on the web, or 404."""
    message = get_message_for(user, pk)
    if message.status != MessageStatus.PUBLISHED:
        raise Http404
    get_list_to_post_in(user, message.mailing_list_id)
    return message


def get_held_message_to_decide(user: User, pk: int) -> ListMessage:
    """Return a held message the user may approve or reject, or 404."""
    message = get_object_or_404(
        ListMessage.objects.select_related("mailing_list__group"),
        pk=pk,
        status=MessageStatus.HELD,
    )
    if not may_moderate(user, message.mailing_list):
        raise Http404
    return message


def get_attachment_for(user: User, pk: int) -> ListAttachment:
    """Return an attachment of a message the user may read, or 404."""
    attachment = get_object_or_404(ListAttachment.objects.only("id", "message_id"), pk=pk)
    get_message_for(user, attachment.message_id)
    return ListAttachment.objects.get(pk=pk)
