"""`syncpeng ui`: a local web interface to implement, debug and test a data source module.

server.py binds and serves; security.py guards every request; app.py routes; one module per
view does the job (workspace: the module and in.json, methods: a method run, timeline: the sync
token chain, checks: the streamed check run and its reports, mockdata: the persistent mock,
cassettes: recordings and their audit); jobs.py runs connector work on worker threads. The web
stack (starlette, uvicorn) is imported only here, never on the CLI's start-up path.
"""
