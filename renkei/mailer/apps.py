from django.apps import AppConfig


class MailerConfig(AppConfig):
    name = "renkei.mailer"
    verbose_name = "メール送信"
