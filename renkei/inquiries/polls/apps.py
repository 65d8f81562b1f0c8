from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "renkei.inquiries.polls"
    label = "polls"
    verbose_name = "調査コーナー"
