from django.apps import AppConfig


class AnnouncementsConfig(AppConfig):
    name = "renkei.announcements"
    verbose_name = "お知らせ・メール配信"
