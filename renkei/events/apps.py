from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "renkei.events"
    label = "events"
    verbose_name = "セミナー・研修"
