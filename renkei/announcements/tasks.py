"""Background work of お知らせ: preparing a delivery, publishing what was scheduled."""

from django_tasks import task

from renkei.announcements.models import Delivery, DeliveryStatus


@task()
def deliver_announcement(delivery_id: int) -> int:
    """Resolve a delivery's recipients and queue their messages; return how many."""
    from renkei.announcements.services import delivery_prepare

    delivery = Delivery.objects.select_related("announcement").get(pk=delivery_id)
    try:
        delivery = delivery_prepare(delivery=delivery)
    except Exception:
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PREPARING).update(
            status=DeliveryStatus.FAILED
        )
        raise
    return delivery.recipient_count


@task()
def publish_due_announcements() -> int:
    """Publish the scheduled announcements whose time has come."""
    from renkei.announcements.services import announcements_publish_due

    return announcements_publish_due()
