from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "renkei.inquiries"
    verbose_name = "照会・調査"
