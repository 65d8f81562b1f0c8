from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "renkei.portal"
    verbose_name = "ポータル"
