from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "renkei.portal"
    verbose_name = "ポータル"

    def ready(self) -> None:
        from renkei.core.feeds import feed_register
        from renkei.portal.feeds import inquiry_feed

        feed_register(name="inquiries", provider=inquiry_feed)
