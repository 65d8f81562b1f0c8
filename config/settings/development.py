"""Development and demo settings only (`manage.py`'s default): never deploy with these.

DEBUG is on unless DJANGO_DEBUG says otherwise, and the data generators of renkei.devdata
(`load_demo`, `seed_scale`) are installed: they give every account a fixed password and TOTP
secret. Production (config.settings.production, used by config/wsgi.py) does not install them.
"""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
INSTALLED_APPS = [*INSTALLED_APPS, "renkei.devdata"]
