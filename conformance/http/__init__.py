"""The connector's boundary with the world: every request it makes, caught, piped and answered.

- message.py: `Request`, `Response`, `HttpFailure`, `Exchange`, and the worker protocol's form;
- pipeline.py: `Pipeline` (steps, then a terminal), `use` / `active` for the check running now;
- terminals.py: the mock in process, the network; tape.py: the recorder and the replay;
- stubs/: how a Python process catches its connector's requests, one module per client library
  (the NodeJS bridge catches its own: conformance/runtime/node_bridge).
"""
