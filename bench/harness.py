"""Shared benchmark plumbing: a scratch environment, gunicorn, an HTTP load loop.

Everything runs on 127.0.0.1 and stops by itself: each load run is bounded in
requests and seconds.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def scratch_env(
    workdir: Path, *, database_url: str | None = None, task_queue_url: str = "database://"
) -> dict[str, str]:
    """Environment for manage.py and gunicorn: bench settings, private DB and index.

    Tasks go to the database queue by default, as in the embedded deployment:
    whoever needs them run must start `manage.py db_worker` (see `worker`).
    """
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        SEARCH_URL=f"whoosh://{workdir / 'whoosh'}",
        CACHE_URL=env.get("BENCH_CACHE_URL", "locmemcache://bench"),
        TASK_QUEUE_URL=task_queue_url,
        MEDIA_ROOT=str(workdir / "media"),
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def percentile(samples: list[float], pct: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summarise_ms(samples: list[float]) -> str:
    p50, p95 = percentile(samples, 50) * 1000, percentile(samples, 95) * 1000
    mean = statistics.fmean(samples) * 1000
    return f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, mean {mean:.1f} ms (n={len(samples)})"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2) -> Iterator[int]:
    """Serve the portal under gunicorn on a free loopback port."""
    port = free_port()
    proc = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "support_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@contextmanager
def db_worker(env: dict[str, str], *, interval: float = 0.1) -> Iterator[subprocess.Popen]:
    """One `manage.py db_worker` on the scratch database's task queue, for the
    duration of the block; stopped as a deployment would stop it (SIGTERM lets
    the current task finish)."""
    proc = subprocess.Popen(
        [
            PYTHON,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            str(interval),
            "--no-startup-delay",
            "--no-reload",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@dataclass
class LoadResult:
    path: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.path:<40} {self.rps:8.1f} req/s  "
            f"p50 {percentile(self.latencies, 50) * 1000:6.1f} ms  "
            f"p95 {percentile(self.latencies, 95) * 1000:6.1f} ms  errors {self.errors}"
        )


def load(
    port: int,
    path: str,
    *,
    concurrency: int = 4,
    seconds: float = 5.0,
    max_requests: int = 20000,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """Hit one path with keep-alive connections for a bounded time."""
    latencies: list[float] = []
    errors = 0
    count = 0
    lock = threading.Lock()
    stop_at = 0.0  # set once the warm-up is over

    def worker() -> None:
        nonlocal errors, count
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop_at:
            with lock:
                if count >= max_requests:
                    break
                count += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors += 1
        conn.close()

    # Warm up each worker process (imports, caches) before measuring; a first
    # request may open the search index or fill a cache, so it gets longer.
    for _ in range(10):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path, headers=headers or {})
        conn.getresponse().read()
        conn.close()

    started = time.monotonic()
    stop_at = started + seconds
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(path, len(latencies), errors, time.monotonic() - started, latencies)


def scratch_dir(prefix: str) -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix=prefix)
