"""Background work of the e-conference room."""

from django_tasks import task

from renkei.forum.services import digest_send


@task()
def forum_digest_send() -> int:
    """Queue each digest reader's mail of the posts since their last digest."""
    return digest_send()
