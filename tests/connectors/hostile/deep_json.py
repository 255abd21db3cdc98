"""get returns JSON nested 100,000 levels deep."""

from cats_correct import Correct


class DataSource(Correct):
    def get(self, id):
        value = {}
        for _ in range(100_000):
            value = {"a": value}
        return value
