"""A stored, folded search key kept in step with the fields it is computed from."""

from django.db import models

from renkei.core.text import name_search_key


class SearchKeyField(models.CharField):
    """A column holding name_search_key() of other fields, recomputed on every insert and save.

    A database generated column cannot call the Python folding, so the key is computed in
    pre_save(), which Model.save() and QuerySet.bulk_create() both run; bulk_update() and
    QuerySet.update() do not, so callers that change the source fields that way must include
    this field (see municipalities.load_municipalities).
    """

    def __init__(self, *args, sources: tuple[str, ...] = (), **kwargs):
        self.sources = tuple(sources)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = self.sources
        for key, value in (("max_length", 500), ("editable", False), ("blank", True)):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        if kwargs.get("default") == "":
            kwargs.pop("default")
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = name_search_key(*(getattr(model_instance, source) or "" for source in self.sources))
        setattr(model_instance, self.attname, value)
        return value
