"""The `syncpeng` command line: the seed's author loop (scaffold, run a method, run checks)."""

from conformance.cli.main import main

__all__ = ["main"]
