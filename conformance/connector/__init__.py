"""A connector as the harness sees it: its files, its account, and a runtime behind `Connector`."""
