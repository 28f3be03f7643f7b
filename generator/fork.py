"""Work done in a forked copy of this process, its result sent back pickled through a pipe.

Large specs use it to keep both cores busy: reading files, validating beside the model's build,
rendering. Where there is no ``fork`` (or for small inputs) the callers do the work themselves.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

AVAILABLE = hasattr(os, "fork")


def beside(work: Callable[[], T]) -> Callable[[], T | None]:
    """Start ``work`` in a forked child; the function returned waits for the child and returns
    what ``work`` returned, or None if the child failed in any way (call it once)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, send the result, leave without cleanup
        os.close(reader)
        code = 0
        try:
            with os.fdopen(writer, "wb") as pipe:
                pickle.dump(work(), pipe, pickle.HIGHEST_PROTOCOL)
        except BaseException:
            code = 1
        os._exit(code)
    os.close(writer)

    def result() -> T | None:
        with os.fdopen(reader, "rb") as pipe:
            try:
                value: T | None = pickle.load(pipe)
            except (EOFError, pickle.UnpicklingError):
                value = None
        os.waitpid(pid, 0)
        return value

    return result
