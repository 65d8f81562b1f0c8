"""Columns a row computes from its other fields when it is written, never typed by anyone."""

from typing import Any

from django.db import models


class ComputedCharField(models.CharField):
    """A text column set from its row by compute() on every insert and save.

    compute() runs in pre_save(), which Model.save() and QuerySet.bulk_create() both call;
    bulk_update() and QuerySet.update() do not, so a caller that changes the source fields
    that way must write this column too. A database generated column cannot call Python.
    """

    default_max_length = 32

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", self.default_max_length)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list, dict]:
        name, path, args, kwargs = super().deconstruct()
        defaults = (("max_length", self.default_max_length), ("editable", False), ("blank", True))
        for key, value in defaults:
            if kwargs.get(key) == value:
                kwargs.pop(key)
        if kwargs.get("default") == "":
            kwargs.pop("default")
        return name, path, args, kwargs

    def compute(self, model_instance: models.Model) -> str:
        """Return the column's value for the row about to be written."""
        raise NotImplementedError

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value
