"""Targets filtered by kind take several kinds: {"kind": "town"} becomes {"kinds": ["town"]}."""

from django.db import migrations


def kinds_as_list(apps, schema_editor):
    """Rewrite the stored single-kind filters of the inquiries' target specs as lists."""
    Inquiry = apps.get_model("inquiries", "Inquiry")
    for inquiry in Inquiry.objects.filter(target_spec__has_key="kind").only("target_spec"):
        spec = dict(inquiry.target_spec)
        kind = spec.pop("kind")
        spec["kinds"] = [kind] if kind else []
        inquiry.target_spec = spec
        inquiry.save(update_fields=["target_spec"])


def kinds_as_single(apps, schema_editor):
    """Undo: keep the first kind of each list (the old shape held one)."""
    Inquiry = apps.get_model("inquiries", "Inquiry")
    for inquiry in Inquiry.objects.filter(target_spec__has_key="kinds").only("target_spec"):
        spec = dict(inquiry.target_spec)
        kinds = spec.pop("kinds") or [""]
        spec["kind"] = kinds[0]
        inquiry.target_spec = spec
        inquiry.save(update_fields=["target_spec"])


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0004_results_visibility_members_only")]

    operations = [migrations.RunPython(kinds_as_list, kinds_as_single)]
