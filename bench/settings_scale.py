"""The production settings with the benchmark's URLs (bench/urls.py: the project's plus the
trivial `bench/baseline/` page), which `bench/run --scale` serves so that it can measure the floor
every page pays (middleware, session, user, base.html) beside the pages themselves."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
