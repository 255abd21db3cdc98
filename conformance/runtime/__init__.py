"""How a connector runs: in this process, in a Python worker, or in the NodeJS bridge, one
execution scope (`Session`) at a time, with its randomness and clock routed by the harness."""
