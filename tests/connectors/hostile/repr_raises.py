"""get returns an object whose __repr__ raises."""

from cats_correct import Correct


class Weird:
    def __repr__(self):
        raise RuntimeError("no repr for you")


class DataSource(Correct):
    def get(self, id):
        return Weird()
