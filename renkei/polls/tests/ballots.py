"""Which choices a test votes for: a poll's choices in their order."""

from renkei.polls.models import Poll


def choice_ids(poll: Poll) -> list[int]:
    """Return the IDs of the poll's choices in their order."""
    return list(poll.choices.order_by("position").values_list("pk", flat=True))


def first_choice(poll: Poll) -> int:
    """Return the ID of the poll's first choice."""
    return poll.choices.order_by("position").first().pk
