"""The secret order of organizations whose names are hidden (団体A, 団体B …), stored per answer."""

import hashlib

from django.conf import settings

from renkei.core.computed_fields import ComputedCharField


def hidden_order_key(inquiry_id: int, organization_id: int) -> str:
    """Return a keyed digest that orders hidden organizations without revealing their code.

    The JIS order would give identities away (団体A would be the northernmost), so hidden
    labels follow this digest instead: 32 lowercase hex digits, which every collation sorts
    as Python does.
    """
    message = f"renkei.inquiries.compilation.hidden:{inquiry_id}:{organization_id}"
    return hashlib.blake2b(
        message.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16
    ).hexdigest()


class HiddenOrderField(ComputedCharField):
    """A column holding hidden_order_key() of its answer, computed on every insert and save.

    Stored so that the database orders, filters and pages the matrix with names hidden (a
    digest per row per request cost more than the page). Every way of creating an answer
    (services, data generators, test builders) saves or bulk-creates it; nothing moves an
    answer to another inquiry or organization, so update() never needs to.
    """

    def compute(self, model_instance) -> str:
        return hidden_order_key(model_instance.inquiry_id, model_instance.organization_id)
