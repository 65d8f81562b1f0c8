"""Admin for お知らせ: read-only records; the pages (お知らせの管理) are where they change."""

from django.contrib import admin
from django.http import HttpRequest

from renkei.announcements.models import Announcement, Delivery, ExternalContact, NewsletterOptOut


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "audience", "status", "published_at")
    list_filter = ("status", "kind", "audience")
    search_fields = ("title",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("announcement", "started_at", "fiscal_year", "status", "recipient_count")
    list_filter = ("fiscal_year", "status")


@admin.register(ExternalContact)
class ExternalContactAdmin(admin.ModelAdmin):
    list_display = ("organization_name", "name", "email", "is_active")
    search_fields = ("organization_name", "email")


@admin.register(NewsletterOptOut)
class NewsletterOptOutAdmin(admin.ModelAdmin):
    """Delete a row to subscribe an address again (at the person's request)."""

    list_display = ("email", "created_at")
    search_fields = ("email",)
