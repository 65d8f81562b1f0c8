from django.apps import AppConfig


class DevdataConfig(AppConfig):
    name = "renkei.devdata"
    label = "devdata"
    verbose_name = "開発用データ"
