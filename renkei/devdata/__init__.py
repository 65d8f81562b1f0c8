"""Development-only data generators: the demo council and the national-scale load-test data.

Installed by config.settings.development (and the test settings) only, never in production:
the loaders give every account a fixed password and TOTP secret. The commands refuse to run
with DEBUG off.
"""
