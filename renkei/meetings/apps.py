from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "renkei.meetings"
    verbose_name = "会議・会議録"
    default_auto_field = "django.db.models.BigAutoField"
