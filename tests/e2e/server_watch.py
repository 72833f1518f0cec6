"""Stop a browser-test run's server when the run dies, however it dies.

    python server_watch.py PIDFD GROUP     (its stdin: a pipe the run holds open)

The browser tests start each server (Granian) in a session of its own, so that ``_stop`` can take
its workers down with it; a run killed with SIGKILL (a CI job's timeout, the OOM killer) runs no
code to stop them, and the server went on serving a removed folder for good. Started beside each
server in a session of its own too (a CI job's kill of the run's process group does not reach
it), this waits on two things: the read end of a pipe whose write end only the run holds, which
the kernel closes when the run's process ends, whatever ends it; and a pidfd of the server
(``PIDFD``, handed down). The server ending first (its run stopped it) ends the watch. The pipe
ending first (the run is gone) stops the server as ``conftest._stop`` does: SIGTERM to its
process ``GROUP``, then, while the server still runs STOP_GRACE seconds later, SIGKILL: Granian
waits on SIGTERM for every request in progress to end, and a live stream's never does.

The standard library only, and Linux only (pidfds), as the browser tests are. The next run still
stops any process a killed run left (site_folders.stop_processes_of).
"""

import contextlib
import os
import select
import signal
import sys

# seconds, as conftest._stop waits; the tests of the watch itself set less, not to wait 10 s
STOP_GRACE = float(os.environ.get("E2E_STOP_GRACE", "10"))


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        sys.exit(f"usage: {argv[0]} PIDFD GROUP  (stdin: the run's pipe)")
    server, group = int(argv[1]), int(argv[2])
    run = sys.stdin.fileno()
    ended, _, _ = select.select([run, server], [], [])
    if server in ended:
        return  # stopped by its run
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM)
    ended, _, _ = select.select([server], [], [], STOP_GRACE)
    if not ended:  # the group's leader runs still, so the group's id is still its
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)


if __name__ == "__main__":
    main(sys.argv)
