"""connector-conformance: tells a data source connector's author, check by check, whether the
connector keeps its contract (see docs/contract.md; the pytest plugin is conformance.plugin)."""

# An unrelated distribution on the package index also installs the import name `conformance`:
# the entry points (connector_conformance_entry) look for this marker to tell ours from theirs.
__connector_conformance__ = "connector-conformance"
