from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "renkei.core"
    verbose_name = "基盤"
