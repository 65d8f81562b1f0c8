"""Send the automatic reminders (自動督促) that are due; run from cron, e.g. every morning."""

from typing import Any

from django.core.management.base import BaseCommand

from renkei.inquiries.mailings import mailings_resume_stalled
from renkei.inquiries.services.reminders import inquiry_reminders_send_due


class Command(BaseCommand):
    help = (
        "期限の所定営業日前になった照会の未提出団体へ、自動督促メールを送ります（各照会1回のみ）。"
        "作成が途中で止まった通知メールも再開します。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Queue the reminders due today, resume stalled notices, and report both."""
        reminders = inquiry_reminders_send_due()
        for reminder in reminders:
            self.stdout.write(f"{reminder.inquiry.title}: {reminder.organizations.count():,}団体")
        self.stdout.write(self.style.SUCCESS(f"自動督促 {len(reminders):,}件を送信しました。"))
        resumed = mailings_resume_stalled()
        if resumed:
            self.stdout.write(f"途中で止まった通知メール {resumed:,}件を再開しました。")
