"""Work around a reference-counting bug of PySide6 6.12 on CPython 3.11.

On Python 3.11, PySide6 6.12 drops a reference to ``None`` (and to ``True`` / ``False`` in some
signal emissions) on calls as common as ``QLabel.setText``; it was built for Pythons where those
objects are immortal (3.12+, PEP 683), where the missing increment is harmless. On 3.11 the
count falls by one per call and the interpreter aborts ("none_dealloc") once it reaches zero:
after minutes to hours for a hall display that updates its clock every second.

:func:`protect_singletons` gives the three singletons a reference count so large that no run
can exhaust it (2**40 calls); call it once at start-up, before the event loop. On 3.12 and
later it does nothing. Remove it once PySide6 is fixed or Python ≥ 3.12 is required.
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["protect_singletons"]

_DONE = False


def protect_singletons() -> None:
    global _DONE
    if _DONE or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import PySide6

    # setup.cfg pins PySide6 below 6.12; this guards machines that got 6.12 regardless.
    if tuple(PySide6.__version_info__[:2]) != (6, 12):
        return
    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object (Py_ssize_t).
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
    _DONE = True
