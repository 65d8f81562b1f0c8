#!/usr/bin/env python
"""Run Django administrative commands for Renkei."""

import os
import sys


def main() -> None:
    """Run the command line with the development settings unless DJANGO_SETTINGS_MODULE is set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
