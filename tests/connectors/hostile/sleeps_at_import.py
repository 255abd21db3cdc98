"""Importing the module never finishes."""

import threading

threading.Event().wait()
