"""A count of related rows comes in the same query as the rows it belongs to."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from renkei.core.subqueries import rows_count


@pytest.mark.django_db
def test_rows_count_counts_each_outer_rows_own_rows_and_zero_when_none(
    django_assert_num_queries,
):
    # Django's migrations give every model its four permissions (add, change, delete, view).
    session = ContentType.objects.get(app_label="sessions", model="session")
    Permission.objects.filter(content_type=session).exclude(codename="view_session").delete()
    nothing = ContentType.objects.create(app_label="renkei_test", model="nothing")

    with django_assert_num_queries(1):
        counts = dict(
            ContentType.objects.filter(pk__in=[session.pk, nothing.pk])
            .annotate(n=rows_count(rows=Permission.objects.all(), pointing="content_type"))
            .values_list("model", "n")
        )

    assert counts == {"session": 1, "nothing": 0}
