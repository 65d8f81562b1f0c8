"""Publish scheduled お知らせ whose time has come and resume lost deliveries (cron, 5 min)."""

from django.core.management.base import BaseCommand

from renkei.announcements.services import announcements_publish_due, deliveries_resume_stuck


class Command(BaseCommand):
    help = "公開予定日時を過ぎたお知らせを公開し、メール配信を始めます。"

    def handle(self, *args, **options) -> None:
        count = announcements_publish_due()
        self.stdout.write(f"{count}件のお知らせを公開しました。")
        resumed = deliveries_resume_stuck()
        if resumed:
            self.stdout.write(f"準備の止まっていた配信{resumed}件を再開しました。")
