"""Recompiling an inquiry's stored summary in the background (`manage.py db_worker`)."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django_tasks import task

from renkei.inquiries.compilation.store import (
    RECOMPILE_MARKER_SECONDS,
    SUMMARY_KEEP_SECONDS,
    Variant,
    _variants_key,
    current_stamp,
    is_fresh,
    marker_key,
    stored_summary,
    summary_compile,
)
from renkei.inquiries.models import Inquiry

logger = logging.getLogger(__name__)


def recompile_request(inquiry: Inquiry, variant: Variant) -> bool:
    """Queue one background recompile of the inquiry unless one is pending or running.

    The variant is added to those the task compiles. Return whether a task was queued.
    """
    variants_key = _variants_key(inquiry.pk)
    variants = cache.get(variants_key) or frozenset()
    if variant not in variants:
        cache.set(variants_key, frozenset({*variants, variant}), SUMMARY_KEEP_SECONDS)
    if not cache.add(marker_key(inquiry.pk), True, RECOMPILE_MARKER_SECONDS):
        return False
    try:
        summary_recompile.enqueue(inquiry_id=inquiry.pk)
    except Exception:
        cache.delete(marker_key(inquiry.pk))
        raise
    return True


@task()
def summary_recompile(*, inquiry_id: int) -> int:
    """Compile every asked-for variant of an inquiry's summary that is stale or missing.

    Return how many variants were compiled.
    """
    compiled = 0
    try:
        inquiry = Inquiry.objects.filter(pk=inquiry_id).first()
        if inquiry is None:
            return 0
        variants = cache.get(_variants_key(inquiry_id)) or frozenset()
        stamp = current_stamp(inquiry)
        for variant in sorted(variants, key=lambda v: v.suffix):
            stored = stored_summary(inquiry_id, variant)
            if stored is not None and is_fresh(stored, stamp):
                continue
            summary_compile(inquiry, variant, stamp)
            compiled += 1
    except Exception:
        logger.exception("Recompiling the summary of inquiry %s failed", inquiry_id)
        raise
    finally:
        cache.delete(marker_key(inquiry_id))
    return compiled
