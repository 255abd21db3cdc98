"""Forgets delete: the platform cannot propagate deletions to this tool."""

from cats_correct import Correct


class DataSource(Correct):
    delete = None
