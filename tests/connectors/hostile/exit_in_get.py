"""get calls sys.exit(3): the run must go on and name the call that did it."""

import sys

from cats_correct import Correct


class DataSource(Correct):
    def get(self, id):
        sys.exit(3)
