"""Names every face of the harness shares (plugin, CLI, workflow), kept free of heavy imports."""

RANDOMIZED_PROFILE = "conformance-randomized"
