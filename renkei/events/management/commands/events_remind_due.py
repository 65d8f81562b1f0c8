"""Mail the reminder before an event to its confirmed registrants (cron, daily or hourly)."""

from django.core.management.base import BaseCommand

from renkei.events.services import reminders_send_due


class Command(BaseCommand):
    help = "開催が近づいた催しの参加確定者に、前日の案内メール（.ics添付）を送ります（各申込1回）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days-before", type=int, default=1, help="何日前から案内するか（既定：前日）"
        )

    def handle(self, *args, **options) -> None:
        sent = reminders_send_due(days_before=options["days_before"])
        self.stdout.write(f"{sent}名に開催前の案内を送りました。")
