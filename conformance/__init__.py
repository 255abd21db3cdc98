"""connector-conformance: tells a data source connector's author, check by check, whether the
connector keeps its contract (see docs/contract.md; the pytest plugin is conformance.plugin)."""
