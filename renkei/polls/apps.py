from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "renkei.polls"
    label = "polls"
    verbose_name = "調査コーナー"
