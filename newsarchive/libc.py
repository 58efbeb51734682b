"""A few C library functions the standard library lacks (syncfs, malloc_trim, madvise).

Loaded on first use: ``ctypes`` costs start-up time that commands which only read the archive
(``search``) do not need. ``CDLL(None)`` is the process's own symbol table, libc included, so
no ``find_library`` (which runs ``ldconfig`` in a subprocess).
"""

from __future__ import annotations

import os
from functools import cache


@cache
def function(name: str, *argtypes: str):  # noqa: ANN201 - a ctypes function or None
    """libc's ``name`` taking arguments of the ctypes types named by ``argtypes``
    ("c_int", ...), or None where there is none (not Linux, not glibc)."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    found = getattr(libc, name, None)
    if found is not None:
        found.argtypes = [getattr(ctypes, argtype) for argtype in argtypes]
    return found


def last_error() -> OSError:
    """The OSError for the errno a libc function left (loaded with ``use_errno``)."""
    import ctypes

    number = ctypes.get_errno()
    return OSError(number, os.strerror(number))
