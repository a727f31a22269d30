"""Plug-in point for a vendor WLT photo decoder.

The card's photo is 1024 bytes of encrypted WLT; every known decoder is a closed vendor library
(idcard-protocol.md "Photo"). We never ship one. A hall that has one configures
``[reader] photo_decoder`` as one of:

- a path to a Python file (``C:/vendor/wlt_wrapper.py``) that wraps the vendor's DLL/.so and
  defines ``decode(wlt: bytes) -> bytes`` returning a BMP;
- a module, optionally with the function: ``vendor_wlt`` or ``vendor_wlt:decode_wlt``;
- the name of an entry point in the group ``onewindow.wlt_decoders`` (a package installed with
  ``[project.entry-points."onewindow.wlt_decoders"] sdses = "sdses_wlt:decode"``).

Without one, cards keep the bytes and :meth:`IdentityCard.decode_photo` returns None, so
screens show a placeholder.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import logging
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from common.devices.idcard.card import PhotoDecoder
from common.devices.idcard.errors import PhotoDecoderError

__all__ = ["ENTRY_POINT_GROUP", "load_photo_decoder"]

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "onewindow.wlt_decoders"
_DEFAULT_FUNCTIONS = ("decode", "decode_wlt")


def load_photo_decoder(spec: str) -> PhotoDecoder | None:
    """Resolve a configured decoder; "" means none. Raises :class:`PhotoDecoderError`."""
    spec = spec.strip()
    if not spec:
        return None
    path = Path(spec)
    if spec.endswith(".py") or path.is_file():
        return _from_module(_import_file(path), None, spec)
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == spec:
            try:
                loaded = ep.load()
            except Exception as exc:
                raise PhotoDecoderError(f"entry point {spec!r} failed to load: {exc}") from exc
            if isinstance(loaded, ModuleType):
                return _from_module(loaded, None, spec)
            if not callable(loaded):
                raise PhotoDecoderError(f"entry point {spec!r} is not callable")
            return _checked(loaded)
    module_name, _, func = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise PhotoDecoderError(
            f"photo decoder {spec!r} is neither a file, an entry point in {ENTRY_POINT_GROUP} "
            f"nor an importable module ({exc})"
        ) from exc
    return _from_module(module, func or None, spec)


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise PhotoDecoderError(f"photo decoder file {path} does not exist")
    module_spec = importlib.util.spec_from_file_location(f"onewindow_wlt_{abs(hash(path))}", path)
    if module_spec is None or module_spec.loader is None:
        raise PhotoDecoderError(f"photo decoder file {path} cannot be imported")
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:  # a vendor wrapper can fail any way (missing DLL, ...)
        raise PhotoDecoderError(f"photo decoder file {path} failed to load: {exc}") from exc
    return module


def _from_module(module: ModuleType, func: str | None, spec: str) -> PhotoDecoder:
    names = (func,) if func else _DEFAULT_FUNCTIONS
    for name in names:
        candidate = getattr(module, name, None)
        if callable(candidate):
            return _checked(candidate)
    raise PhotoDecoderError(f"photo decoder {spec!r} has no function {' or '.join(names)}(wlt)")


def _checked(func: Callable[[bytes], object]) -> PhotoDecoder:
    # Vendor code returns whatever it likes; only bytes (a BMP) or None get through.
    def decode(wlt: bytes) -> bytes | None:
        result = func(wlt)
        if result is None:
            return None
        if not isinstance(result, bytes | bytearray):
            raise TypeError("photo decoder must return bytes (a BMP) or None")
        return bytes(result)

    log.info("photo decoder loaded")
    return decode
