"""The base of the data generators' commands: they run in development only."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class DevelopmentCommand(BaseCommand):
    """A command that refuses to run unless DEBUG is on."""

    def execute(self, *args, **options):
        # The generated accounts share a published password and TOTP secret: loading them into
        # a production database would open it to anyone who has read the README.
        if not settings.DEBUG:
            raise CommandError(
                "開発用のデータ生成は DEBUG が有効な開発環境でのみ実行できます。"
                "本番のデータベースには実行しないでください"
                "（開発環境では DJANGO_SETTINGS_MODULE=config.settings.development、"
                "DJANGO_DEBUG を未設定または true にして実行します）。"
            )
        return super().execute(*args, **options)
