"""A stored, folded search key kept in step with the fields it is computed from."""

from renkei.core.computed_fields import ComputedCharField
from renkei.core.text import name_search_key


class SearchKeyField(ComputedCharField):
    """A column holding name_search_key() of other fields, recomputed on every insert and save.

    Callers that change the source fields with bulk_update() or update() must include this
    field (see municipalities.load_municipalities).
    """

    default_max_length = 500

    def __init__(self, *args, sources: tuple[str, ...] = (), **kwargs):
        self.sources = tuple(sources)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = self.sources
        return name, path, args, kwargs

    def compute(self, model_instance) -> str:
        return name_search_key(*(getattr(model_instance, source) or "" for source in self.sources))
