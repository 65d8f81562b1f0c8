from django.apps import AppConfig


class ForumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "renkei.forum"
    verbose_name = "電子会議室"

    def ready(self) -> None:
        from renkei.core.feeds import feed_register
        from renkei.forum.feeds import forum_feed

        feed_register(name="forum", provider=forum_feed)
