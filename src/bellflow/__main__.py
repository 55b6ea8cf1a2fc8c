"""``python -m bellflow``: the ``bellflow`` command (see :mod:`bellflow.cli`)."""

import sys

from bellflow.cli import main

if __name__ == "__main__":
    sys.exit(main())
