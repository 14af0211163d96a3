#!/usr/bin/env python
import os
import sys

if sys.version_info < (3, 12):  # noqa: UP036 - a plain message for the machine's older python3, before Django fails
    sys.exit("Open Circle needs Python 3.12 or newer. Run ./dev setup (or use .venv/bin/python).")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
