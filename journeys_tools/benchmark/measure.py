"""Running one step of the benchmark in its own process: its wall time, the peak memory of its process tree
(and of the PostgreSQL server's), its result line, and one line that says why it failed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

SAMPLE_SECONDS = 0.2
RESULT_PREFIX = "BENCH-RESULT "
"""A worker prints its result as one JSON line after this prefix."""


class BenchStepError(RuntimeError):
    """A step of one engine and size failed; the message is one line for the table's notes."""


@dataclass
class StepResult:
    seconds: float
    peak_mb: float
    server_peak_mb: float | None
    result: dict[str, Any] = field(default_factory=dict)


def _tree_rss(pid: int) -> int:
    """Summed RSS (bytes) of a process and all its descendants; 0 when it is gone."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            continue
    return total


class PeakSampler(threading.Thread):
    """Samples the process trees of `pids` every SAMPLE_SECONDS and keeps each one's peak RSS."""

    def __init__(self, pids: Sequence[int]) -> None:
        super().__init__(daemon=True)
        self.pids = list(pids)
        self.peaks = [0] * len(self.pids)
        self._done = threading.Event()

    def run(self) -> None:
        while True:
            for index, pid in enumerate(self.pids):
                self.peaks[index] = max(self.peaks[index], _tree_rss(pid))
            if self._done.wait(SAMPLE_SECONDS):
                return

    def finish(self) -> list[float]:
        self._done.set()
        self.join()
        return [peak / 2**20 for peak in self.peaks]


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """End a step started in its own session, with its children (Spark's JVM): TERM, then KILL."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _end_leftovers(group: int) -> None:
    """End what a finished step left running in its process group (a JVM would hold Spark's metastore)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            return
        for _ in range(50):
            time.sleep(0.2)
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return


def failure_summary(log_text: str, limit: int = 200) -> str:
    """One line for a failed step: the tooling's own message (`journeys: ...` / `bench: ...`) with the line
    after it, else the last line of output."""
    lines = [line.strip() for line in log_text.splitlines() if line.strip()]
    summary = lines[-1] if lines else "no output"
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].startswith(("journeys: ", "bench: ")):
            message = lines[index].split(": ", 1)[1]
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if message.endswith(":") and following:
                message = f"{message} {following}"
            summary = message
            break
    return summary if len(summary) <= limit else summary[: limit - 3] + "..."


def run_step(
    label: str,
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    log_path: Path,
    timeout: float,
    server_pid: int | None = None,
) -> StepResult:
    """Run a step in its own process (output to `log_path`), timing it and sampling peak memory; raise
    BenchStepError with one line when it fails or runs past `timeout` seconds."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command), env=dict(env), cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        sampler = PeakSampler([process.pid] if server_pid is None else [process.pid, server_pid])
        sampler.start()
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise BenchStepError(f"{label}: stopped after {timeout:.0f} s (log: {_shown(log_path)})") from None
        except BaseException:
            _kill_group(process)
            raise
        finally:
            peaks = sampler.finish()
        seconds = time.perf_counter() - started
        _end_leftovers(process.pid)
    text = log_path.read_text(errors="replace")
    if returncode != 0:
        raise BenchStepError(f"{label} ({seconds:.0f} s): {failure_summary(text)} (log: {_shown(log_path)})")
    result: dict[str, Any] = {}
    for line in text.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
    return StepResult(seconds, peaks[0], peaks[1] if server_pid is not None else None, result)


def _shown(path: Path) -> str:
    """A path relative to the working folder when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def one_line(error: BaseException) -> str:
    first = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    return f"{type(error).__name__}: {first}" if first else type(error).__name__
