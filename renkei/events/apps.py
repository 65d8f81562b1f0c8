from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "renkei.events"
    label = "events"
    verbose_name = "セミナー・研修"

    def ready(self) -> None:
        from renkei.core.feeds import feed_register
        from renkei.events.feeds import event_feed

        feed_register(name="events", provider=event_feed)
