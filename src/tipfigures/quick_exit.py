"""Leaving a finished command without tearing the interpreter down object by object.

After a run at 1,000 documents, Python's own finalization (freeing every module, table and
extraction one by one, in a process that is about to end anyway) takes about 0.8 s, longer
than some of the run's stages. A command that has finished, and whose exit status is known,
ends once the normal exit work is done: non-daemon threads joined and every other atexit
handler run (Prefect's, which send its last events and logs), logs and standard streams
flushed. What the kernel frees at exit (memory, file descriptors) is then left to it.

An uncaught exception (a traceback), even after the command finished, takes Python's normal
exit path and status.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys

_status: list[int] = []  # the exit status, once the command has finished


_installed: list[bool] = []


def install() -> None:
    """Call first thing in an entry point: the handler registered first runs last (handlers
    registered before it are skipped; logging's shutdown is called here)."""
    if not _installed:
        atexit.register(_exit_now)
        _installed.append(True)


def finished(code: object) -> None:
    """Record the command's exit status (a SystemExit's code: None, an int or a message)."""
    _status[:] = [code if isinstance(code, int) else 0 if code is None else 1]


def _exit_now() -> None:
    if not _status or hasattr(sys, "last_value"):  # unfinished, or a traceback after it
        return
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed or broken pipe
            stream.flush()
    os._exit(_status[0])
