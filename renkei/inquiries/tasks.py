"""Background tasks of inquiries; run them with `manage.py db_worker`."""

from django.core.management import call_command
from django_tasks import task


@task()
def send_inquiry_reminders() -> None:
    """Run the automatic reminder command, for schedulers that enqueue tasks."""
    call_command("send_inquiry_reminders")
