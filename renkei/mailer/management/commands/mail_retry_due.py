"""Enqueue the sending of every due outbox message; run from cron every few minutes."""

from django.core.management.base import BaseCommand

from renkei.mailer.tasks import deliver_due_messages


class Command(BaseCommand):
    help = "送信待ちで送信時刻を過ぎたメールをまとめて送るタスクを登録します（cron 用）。"

    def handle(self, *args: object, **options: object) -> None:
        result = deliver_due_messages.enqueue()
        self.stdout.write(f"送信タスクを登録しました（ID: {result.id}、状態: {result.status}）。")
