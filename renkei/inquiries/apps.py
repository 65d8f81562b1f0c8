from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "renkei.inquiries"
    verbose_name = "照会・調査"

    def ready(self) -> None:
        from renkei.core.summaries import summary_register
        from renkei.inquiries.summaries import inquiry_summaries

        summary_register(kind="inquiry", provider=inquiry_summaries)
