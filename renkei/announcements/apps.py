from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    name = "renkei.announcements"
    verbose_name = "お知らせ・メール配信"

    def ready(self) -> None:
        from renkei.announcements.feeds import announcement_feed
        from renkei.core.feeds import feed_register

        feed_register(name="announcements", provider=announcement_feed)
