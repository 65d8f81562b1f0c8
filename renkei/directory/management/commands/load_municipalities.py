"""manage.py load_municipalities: load the official municipality master."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renkei.directory.municipalities import MunicipalityFileError, municipalities_load


class Command(BaseCommand):
    help = "全国地方公共団体コード（JIS X 0402）の一覧から団体マスタを読み込みます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=None,
            help="読み込む CSV または総務省の Excel（.xlsx）。省略時は同梱の municipalities.csv",
        )

    def handle(self, *args: object, **options: object) -> None:
        # call_command(file=...) hands the value over as given, without the argparse type.
        path = Path(options["file"]) if options["file"] else None
        try:
            result = municipalities_load(path=path)
        except MunicipalityFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"団体マスタを読み込みました: 新規 {result.created} / 更新 {result.updated} / "
                f"変更なし {result.unchanged}"
            )
        )
        if result.absent:
            self.stdout.write(
                self.style.WARNING(
                    f"ファイルにない団体が {result.absent} 件あります。"
                    "合併などで廃止された団体には廃止日と承継団体を設定してください。"
                )
            )
