"""What a connector is, as the harness sees it: its files, its account, its schema, the contract
of its six methods, and which runtime loads it (conformance/runtime runs it)."""
