"""Send the automatic reminders (自動督促) that are due; run from cron, e.g. every morning."""

from typing import Any

from django.core.management.base import BaseCommand

from renkei.inquiries.services import inquiry_reminders_send_due


class Command(BaseCommand):
    help = (
        "期限の所定営業日前になった照会の未提出団体へ、自動督促メールを送ります（各照会1回のみ）。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Send the reminders due today and report how many went out."""
        reminders = inquiry_reminders_send_due()
        for reminder in reminders:
            self.stdout.write(f"{reminder.inquiry.title}: {reminder.message_count}通")
        self.stdout.write(self.style.SUCCESS(f"自動督促 {len(reminders):,}件を送信しました。"))
