"""The mail of a delivery: one outbox message per recipient, rendered by the worker."""

from django.urls import reverse

from renkei.announcements.models import Delivery
from renkei.announcements.selectors import delivery_recipients
from renkei.announcements.unsubscribe import unsubscribe_headers, unsubscribe_url
from renkei.core.links import absolute_url
from renkei.core.markdown import markdown_html
from renkei.mailer.services import mail_queue

TEMPLATE = "announcement"


def delivery_messages_queue(*, delivery: Delivery) -> tuple[int, int]:
    """Queue the delivery's messages; return (recipients, addresses left out as unsubscribed)."""
    announcement = delivery.announcement
    recipients, skipped = delivery_recipients(announcement=announcement)
    newsletter = announcement.is_newsletter
    to = [
        (
            r.name,
            r.email,
            {"unsubscribe_url": unsubscribe_url(email=r.email)} if newsletter else {},
        )
        for r in recipients
    ]
    context = {
        "title": announcement.title,
        "body": announcement.body,
        "body_html": markdown_html(announcement.body),
        "is_newsletter": newsletter,
        "attachments": list(announcement.attachments.values_list("name", flat=True)),
        "detail_url": absolute_url(reverse("announcements:detail", args=[announcement.pk])),
    }
    messages = mail_queue(
        to=to,
        template=TEMPLATE,
        context=context,
        topic=delivery.topic,
        headers=(
            (lambda address, extra: unsubscribe_headers(url=extra["unsubscribe_url"]))
            if newsletter
            else None
        ),
    )
    return len(messages), skipped
