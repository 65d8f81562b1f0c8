from django.apps import AppConfig


class ListsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "renkei.forum.lists"
    label = "lists"
    verbose_name = "メーリングリスト"

    def ready(self) -> None:
        from renkei.core.feeds import feed_register
        from renkei.forum.lists.feeds import lists_feed

        feed_register(name="lists", provider=lists_feed)
