"""Test builders of outbox messages."""

from django.utils import timezone

from renkei.mailer.models import OutboxMessage


def message_make(**fields) -> OutboxMessage:
    """Store a queued, due message without enqueuing its delivery."""
    values = {
        "to_email": "tobetsu@example.lg.jp",
        "to_name": "当別 太郎",
        "subject": "【連携】総会開催のお知らせ",
        "body_text": "令和8年度総会を開催します。",
        "body_html": "<p>令和8年度総会を開催します。</p>",
        "next_attempt_at": timezone.now(),
    }
    return OutboxMessage.objects.create(**{**values, **fields})
