"""The gunicorn settings at the repo root: what each worker does once it has loaded the app."""

import gc
import runpy
import weakref
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


class _Node:
    itself: "_Node"


def test_a_started_worker_freezes_what_it_loaded_out_of_the_collectors_scans():
    hooks = runpy.run_path(str(CONF))
    gc.unfreeze()
    try:
        hooks["post_worker_init"](worker=None)

        assert gc.get_freeze_count() > 10_000  # Django and the apps, not a handful of objects
    finally:
        gc.unfreeze()


def test_objects_made_after_the_freeze_are_still_collected():
    hooks = runpy.run_path(str(CONF))
    try:
        hooks["post_worker_init"](worker=None)
        node = _Node()
        node.itself = node  # a reference cycle: only the collector can free it
        freed = weakref.ref(node)
        del node

        gc.collect()

        assert freed() is None
    finally:
        gc.unfreeze()
