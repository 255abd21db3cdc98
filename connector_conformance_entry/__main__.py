"""`python -m connector_conformance_entry`: the `syncpeng` script's exact path, for tests and for
environments without the script."""

import sys

from connector_conformance_entry import main

sys.exit(main())
