"""`journeys bench`: how long `dbt build` takes on each engine, against the floor of one window pass.

For each engine and size the benchmark loads generated raw tables in two parts split by load time (the
first ~99%, then a late ~1%), times a full `dbt build` and a second one after the late part is appended,
times one `lag()` window pass over the canonical stream on the same engine (the floor), samples the peak
memory of dbt and of the embedded PostgreSQL server, and reports each build's costliest nodes from dbt's
run_results.json. Every heavy step runs in its own process (see `worker`).

Modules: `split` (the raw tables split by load time, shared with the incremental test), `data` (generated
in chunks, written, loaded), `measure` (a step's time and peak memory), `nodes` (dbt's node times),
`report` (the tables and the README block), `worker` (the steps' command line), `runner` (the whole run).
"""

from journeys_tools.benchmark.runner import DEFAULT_STEP_TIMEOUT, parse_sizes, run_benchmark

__all__ = ["DEFAULT_STEP_TIMEOUT", "parse_sizes", "run_benchmark"]
