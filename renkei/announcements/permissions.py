"""Who may see which お知らせ: fetch and check in one call."""

from django.http import Http404

from renkei.accounts.models import User
from renkei.accounts.permissions import Capability, has_capability
from renkei.announcements.models import Announcement, AnnouncementAttachment, Delivery
from renkei.announcements.selectors import announcements_visible_to
from renkei.directory.permissions import require


def get_announcement_for(user: User, pk: int) -> Announcement:
    """Return a published announcement addressed to the user's organization (or any, for the
    secretariat); 404 for one the user may not read, so its existence is not revealed."""
    require(user, Capability.VIEW_ANNOUNCEMENTS)
    announcement = announcements_visible_to(user=user).filter(pk=pk).first()
    if announcement is None:
        raise Http404("お知らせが見つかりません。")
    return announcement


def get_managed_announcement_for(user: User, pk: int) -> Announcement:
    """Return any announcement for the secretariat; 403 for everyone else."""
    require(user, Capability.MANAGE_ANNOUNCEMENTS)
    announcement = (
        Announcement.objects.select_related("audience_group", "created_by").filter(pk=pk).first()
    )
    if announcement is None:
        raise Http404("お知らせが見つかりません。")
    return announcement


def get_attachment_for(user: User, pk: int, attachment_pk: int) -> AnnouncementAttachment:
    """Return an attachment of an announcement the user may read (or manage)."""
    if has_capability(user, Capability.MANAGE_ANNOUNCEMENTS):
        announcement = get_managed_announcement_for(user, pk)
    else:
        announcement = get_announcement_for(user, pk)
    attachment = announcement.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404("ファイルが見つかりません。")
    return attachment


def get_delivery_for(user: User, pk: int, delivery_pk: int) -> Delivery:
    """Return a delivery of an announcement, for the secretariat only."""
    announcement = get_managed_announcement_for(user, pk)
    delivery = announcement.deliveries.filter(pk=delivery_pk).first()
    if delivery is None:
        raise Http404("配信が見つかりません。")
    return delivery
