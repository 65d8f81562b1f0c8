"""gunicorn settings read from the working directory (`gunicorn config.wsgi` run at the repo root)."""

import gc


def post_worker_init(worker) -> None:
    """Take what the worker loaded at start out of the garbage collector's scans.

    Django, the URLconf and every app's modules live as long as the worker. Left in the
    collector's oldest generation, each full collection walks all of them again: at national
    scale that was a third of the answer matrix's time. gc.freeze() (the standard library's
    advice for pre-fork servers) moves them to a permanent generation; everything a request
    creates is still collected as before.
    """
    gc.freeze()
