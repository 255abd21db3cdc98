"""sys.exit(0) at import time: pytest reported "mainloop: caught unexpected SystemExit!"."""

import sys

sys.exit(0)
