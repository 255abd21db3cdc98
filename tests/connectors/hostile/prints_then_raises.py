"""get prints a line and then raises: the line is shown with the failure, as it is inline."""

from cats_correct import Correct


class DataSource(Correct):
    def get(self, id):
        print(f"looking up {id}")
        raise RuntimeError("lookup failed")
