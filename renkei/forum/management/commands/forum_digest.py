"""Enqueue the daily digest of the e-conference room; run from cron once a day."""

from django.core.management.base import BaseCommand

from renkei.forum.tasks import forum_digest_send


class Command(BaseCommand):
    help = (
        "電子会議室の新着投稿のまとめ（ダイジェスト）を送るタスクを登録します（cron 用、1日1回）。"
    )

    def handle(self, *args: object, **options: object) -> None:
        result = forum_digest_send.enqueue()
        self.stdout.write(
            f"ダイジェスト送信タスクを登録しました（ID: {result.id}、状態: {result.status}）。"
        )
