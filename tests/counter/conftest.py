"""PySide6 6.12 on Python 3.11 leaks references to None/True/False; see common/qt/pyside_compat."""

from common.qt.pyside_compat import protect_singletons

protect_singletons()
