"""Run a command that is sent SIGTERM when the process that started it dies, however it dies.

    python die_with_parent.py PARENT_PID COMMAND [ARG...]

The browser tests start their servers in sessions of their own (so that ``_stop`` can take a
server's workers down with it), and a run killed with SIGKILL (a CI job's timeout, the OOM
killer) runs no code to stop them: Granian went on serving a removed folder, for good. This asks
the kernel (``prctl(PR_SET_PDEATHSIG)``, with the standard library's ctypes) to send the command
SIGTERM when its parent goes, then becomes the command (``execv`` keeps the request). Granian
stops its workers on SIGTERM. Should the parent already have gone before the request was made
(``PARENT_PID`` is no longer the parent), the command is not run at all.

Linux only, as the browser tests are. The next run still stops any process a killed run left
(site_folders.stop_processes_of), for a signal that came to nothing.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_GONE = 75  # EX_TEMPFAIL


def main(argv: list[str]) -> None:
    if len(argv) < 3:
        sys.exit(f"usage: {argv[0]} PARENT_PID COMMAND [ARG...]")
    parent = int(argv[1])
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_PDEATHSIG): {os.strerror(errno)}")
    if os.getppid() != parent:
        sys.exit(PARENT_GONE)
    os.execv(argv[2], argv[2:])  # noqa: S606 - the caller's own command line


if __name__ == "__main__":
    main(sys.argv)
