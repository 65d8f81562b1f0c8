from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "renkei.audit"
    verbose_name = "監査ログ"
