"""The twin that passes: the example cats connector, every request through a routed client."""

from cats_correct import Correct as DataSource

__all__ = ["DataSource"]
