"""The secret order of organizations whose names are hidden (団体A, 団体B …), stored per answer."""

import hashlib

from django.conf import settings
from django.db import models


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


class HiddenOrderField(models.CharField):
    """A column holding hidden_order_key() of its answer, computed on every insert and save.

    Stored so that the database orders, filters and pages the matrix with names hidden (a
    digest per row per request cost more than the page). It is computed in pre_save(), which
    Model.save() and QuerySet.bulk_create() both run, so every way of creating an answer
    (services, data generators, test builders) fills it; nothing moves an answer to another
    inquiry or organization, so update() never needs to.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("max_length", 32), ("editable", False), ("blank", True)):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        if kwargs.get("default") == "":
            kwargs.pop("default")
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = hidden_order_key(model_instance.inquiry_id, model_instance.organization_id)
        setattr(model_instance, self.attname, value)
        return value
