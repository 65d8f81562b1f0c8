from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "renkei.meetings"
    verbose_name = "会議・会議録"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from renkei.core.feeds import feed_register
        from renkei.meetings.feeds import meeting_feed

        feed_register(name="meetings", provider=meeting_feed)
