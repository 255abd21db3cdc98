"""`python -m conformance`: the `syncpeng` command, for environments without the script."""

import sys

from conformance.cli import main

sys.exit(main())
