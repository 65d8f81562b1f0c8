"""manage.py load_demo: the demo council with one login per role."""

from django.core.management.base import CommandError

from renkei.devdata.demo import DEMO_PASSWORD, demo_is_loaded, demo_load, demo_logins
from renkei.devdata.management.development import DevelopmentCommand


class Command(DevelopmentCommand):
    help = "Load the demo council (municipality master, ~1,300 members, board, logins)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only if the demo is not there yet; print the logins either way.",
        )

    def handle(self, *args, **options) -> None:
        if options["if_empty"] and demo_is_loaded():
            self.stdout.write("デモデータは読み込み済みです。")
            logins = demo_logins()
        else:
            try:
                result = demo_load(seed=options["seed"])
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"デモデータを読み込みました: 会員 {result.members:,}団体 / 人員 {result.people:,}人"
            )
            logins = result.logins
        self.stdout.write("")
        self.stdout.write("デモ用ログイン（パスワードはすべて " + DEMO_PASSWORD + "）:")
        for login in logins:
            line = f"  {login.username:<15} {login.role}（{login.organization}）"
            if login.note:
                line += f"  {login.note}"
            self.stdout.write(line)
