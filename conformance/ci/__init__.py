"""Gating in CI: reports people read, a baseline of known failures, and a workflow to copy."""
