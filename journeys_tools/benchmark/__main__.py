"""`python -m journeys_tools.benchmark <step>`: one step of `journeys bench` in its own process."""

import sys

from journeys_tools.benchmark.worker import worker_main

sys.exit(worker_main())
