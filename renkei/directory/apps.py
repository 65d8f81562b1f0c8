from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "renkei.directory"
    verbose_name = "名簿"
