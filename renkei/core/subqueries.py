"""Counts of related rows, read in the same query as the rows they belong to."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def rows_count(*, rows: QuerySet, pointing: str) -> Coalesce:
    """Count the rows whose `pointing` field names the outer row (0 when none do).

    A subquery per count, not a join: two counts joined at once would multiply each other.
    """
    per_outer_row = rows.filter(**{pointing: OuterRef("pk")}).order_by().values(pointing)
    return Coalesce(Subquery(per_outer_row.annotate(n=Count("pk")).values("n")), 0)
