"""Processes the benchmark starts, their memory, free ports and the tools it may install.

Every server is started in its own session and remembered; :func:`stop_all` (run on exit, on
Ctrl-C and on SIGTERM) ends each of those process groups by id, and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

_started: list[subprocess.Popen] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], *, env: dict[str, str], log: Path, cwd: str | None = None):
    log.parent.mkdir(parents=True, exist_ok=True)
    handle = open(log, "wb")  # noqa: SIM115  (kept open for the child's lifetime)
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    process.log_path = log  # type: ignore[attr-defined]
    _started.append(process)
    return process


@contextlib.contextmanager
def stopped_after() -> Iterator[list[subprocess.Popen]]:
    """A list to put servers in; each is stopped when the block ends, the last started first."""
    started: list[subprocess.Popen] = []
    try:
        yield started
    finally:
        for process in reversed(started):
            stop(process)


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """End ``process`` and its children (its process group), politely first."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
    # Workers that outlived their parent are still in the group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if process in _started:
        _started.remove(process)


def stop_all() -> None:
    for process in list(_started):
        stop(process, timeout=5)


def log_tail(process: subprocess.Popen, lines: int = 30) -> str:
    path = getattr(process, "log_path", None)
    if not path or not Path(path).exists():
        return ""
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


# --- memory --------------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def workers(pid: int) -> list[int]:
    """The worker processes under ``pid``: its descendants, or ``pid`` itself if it has none."""
    tree = _children()
    found, todo = [], list(tree.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(tree.get(child, []))
    return found or [pid]


def rss_reset(pids: list[int]) -> None:
    """Start each process's peak resident set size (VmHWM) again from its current size."""
    # Not allowed (not root): the peak then runs from the process's start.
    for pid in pids:
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")


def rss_peak_mib(pids: list[int]) -> float | None:
    """The largest VmHWM among ``pids``, in MiB."""
    peaks = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return round(max(peaks), 1) if peaks else None


# --- other work on the machine -----------------------------------------------------------

_SHARED_SERVICES = {"postgres", "redis-server"}  # the bench's own database work runs in these


def _cpu_by_process() -> dict[int, tuple[str, int]]:
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rpartition(")")[2].split()
        found[int(entry)] = (comm, int(fields[11]) + int(fields[12]))  # utime + stime
    return found


def steal_ticks() -> int | None:
    """The machine's CPU time taken by the hypervisor for other machines so far ("steal", in
    clock ticks, all cores), or None where the kernel does not count it."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    return int(fields[8]) if len(fields) > 8 and fields[0] == "cpu" else None


def steal_share(before: int | None, started: float) -> float | None:
    """Steal since ``before`` (from :func:`steal_ticks` at ``started``, monotonic) as a fraction
    of all cores' time: time this virtual machine's cores were ready to run and were not run.
    No process's CPU counts it, so a case slowed by it shows nothing in :class:`OtherWork`."""
    after = steal_ticks()
    if before is None or after is None:
        return None
    elapsed = max(time.monotonic() - started, 1e-6)
    return max(0, after - before) / os.sysconf("SC_CLK_TCK") / (elapsed * (os.cpu_count() or 1))


class OtherWork:
    """CPU used during a case by processes that are not the bench's (nor its database's), and
    taken from the machine by its hypervisor (steal).

    Counts processes alive at both ends, so it can only under-state other work."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.before = _cpu_by_process()
        self.steal_before = steal_ticks()

    def steal(self) -> float | None:
        """Steal since the start, as a fraction of all cores' time (None: not counted here)."""
        return steal_share(self.steal_before, self.started)

    def share(self) -> float:
        """Other processes' CPU as a fraction of all cores' time since the start."""
        after = _cpu_by_process()
        ours = set(workers(os.getpid())) | {os.getpid()}
        ticks = 0
        for pid, (comm, used) in after.items():
            if pid in ours or comm in _SHARED_SERVICES or pid not in self.before:
                continue
            ticks += max(0, used - self.before[pid][1])
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return ticks / os.sysconf("SC_CLK_TCK") / (elapsed * (os.cpu_count() or 1))


# --- tools ---------------------------------------------------------------------------------


def ensure_debian_packages(packages: dict[str, str]) -> tuple[set[str], str]:
    """Install the Debian packages whose command is missing ({command: package}), as
    scripts/ensure-chromium does. Returns the commands now available and a note."""
    missing = {cmd: pkg for cmd, pkg in packages.items() if not shutil.which(cmd, path=_PATH)}
    note = ""
    if missing and os.environ.get("BENCH_NO_INSTALL"):
        note = "BENCH_NO_INSTALL set: did not install " + ", ".join(sorted(missing.values()))
    elif missing and os.geteuid() == 0 and shutil.which("apt-get"):
        command = [
            "apt-get",
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "-o",
            "DPkg::Lock::Timeout=120",
            *sorted(set(missing.values())),
        ]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        done = subprocess.run(command, capture_output=True, env=env, timeout=300, check=False)
        if done.returncode != 0:
            subprocess.run(
                ["apt-get", "update", "-qq"], capture_output=True, env=env, timeout=300, check=False
            )
            done = subprocess.run(command, capture_output=True, env=env, timeout=300, check=False)
        if done.returncode != 0:
            note = "apt-get could not install " + ", ".join(sorted(missing.values()))
    elif missing:
        note = "not root (or no apt-get): " + ", ".join(sorted(missing.values())) + " missing"
    available = {cmd for cmd in packages if shutil.which(cmd, path=_PATH)}
    return available, note


_PATH = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"


def which(command: str) -> str | None:
    return shutil.which(command, path=_PATH)


def wait_for(predicate, *, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
