"""Admin for the outbox: a read-only record of every e-mail, to answer "was it sent?".

Messages are never added, edited or deleted here: they are created by
`renkei.mailer.services` and change state only through delivery, so the list stays a
faithful record. Filter by status to find failures (the detail page shows the last SMTP
error) and search by address or subject to find one person's mail.
"""

from django.contrib import admin
from django.http import HttpRequest

from renkei.mailer.models import FailingAddress, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """List and inspect outbox messages; no changes."""

    list_display = (
        "created_at",
        "to_email",
        "to_name",
        "subject",
        "topic",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "topic", "template")
    search_fields = ("to_email", "to_name", "subject")
    date_hierarchy = "created_at"
    list_per_page = 100
    fields = (
        "status",
        "to_email",
        "to_name",
        "subject",
        "body_text",
        "body_html",
        "template",
        "topic",
        "message_id",
        "created_at",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "lease_until",
        "last_error",
        "sent_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False


@admin.register(FailingAddress)
class FailingAddressAdmin(admin.ModelAdmin):
    """Addresses whose mail bounced, newest first; delete a row once the address is fixed."""

    list_display = ("email", "bounce_count", "last_bounced_at", "last_diagnostic")
    search_fields = ("email",)
    readonly_fields = ("email", "bounce_count", "first_bounced_at", "last_bounced_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
