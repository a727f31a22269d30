"""The ID card driver's exceptions.

Everything the driver raises derives from :class:`IdCardError`, which carries a Chinese message
for the screen (``message_zh``) and an English one for logs (``message_en``, also ``str(exc)``).
No message ever contains a full ID number or name: exceptions end up in logs.
"""

from __future__ import annotations

__all__ = [
    "CardAuthenticationError",
    "CardParseError",
    "CardReadError",
    "ChecksumError",
    "FrameError",
    "IdCardError",
    "LengthError",
    "ModuleError",
    "NoCardError",
    "NoContentError",
    "PhotoDecoderError",
    "ReaderGoneError",
    "ReaderStatusError",
    "ReaderTimeoutError",
    "SelectCardError",
    "TruncatedFrameError",
    "UnknownStatusError",
    "status_error",
]


class IdCardError(Exception):
    """Base of every error the ID card driver raises, with a Chinese and an English message."""

    message_zh: str = "身份证阅读器错误"
    message_en: str = "ID card reader error"

    def __init__(self, message_en: str | None = None, message_zh: str | None = None) -> None:
        if message_en is not None:
            self.message_en = message_en
        if message_zh is not None:
            self.message_zh = message_zh
        super().__init__(self.message_en)

    @property
    def message(self) -> str:
        """Both languages, the way status lines show them: ``中文 / English``."""
        return f"{self.message_zh} / {self.message_en}"


# --- framing -------------------------------------------------------------------------------


class FrameError(IdCardError):
    """Bytes that are not a well-formed frame."""

    message_zh = "阅读器数据帧错误"
    message_en = "malformed frame from the reader"


class ChecksumError(FrameError):
    """The XOR checksum at the end of a frame does not match its bytes."""

    message_zh = "阅读器数据校验错误"
    message_en = "frame checksum mismatch"


class LengthError(FrameError):
    """The length field disagrees with the bytes present or is out of range."""

    message_zh = "阅读器数据长度错误"
    message_en = "frame length field invalid"


class TruncatedFrameError(FrameError):
    """A frame was cut short and another frame began inside it."""

    message_zh = "阅读器数据不完整"
    message_en = "truncated frame"


# --- transport -----------------------------------------------------------------------------


class ReaderTimeoutError(IdCardError):
    """The reader did not answer a command in time."""

    message_zh = "阅读器响应超时"
    message_en = "reader did not answer in time"


class ReaderGoneError(IdCardError):
    """The port could not be opened, or vanished (unplugged, powered off)."""

    message_zh = "未连接身份证阅读器"
    message_en = "ID card reader not connected"


# --- status words (SW3) --------------------------------------------------------------------


class ReaderStatusError(IdCardError):
    """The reader answered with a status other than success; ``status`` is SW3."""

    status: int = 0

    def __init__(
        self, status: int, message_en: str | None = None, message_zh: str | None = None
    ) -> None:
        self.status = status
        super().__init__(message_en, message_zh)


class NoCardError(ReaderStatusError):
    """0x80: find card failed, no card on the reader."""

    message_zh = "未放置身份证"
    message_en = "no card on the reader"


class SelectCardError(ReaderStatusError):
    """0x81: select card failed (usually the card was moved away while reading)."""

    message_zh = "选卡失败，请重新放置身份证"
    message_en = "select card failed"


class CardReadError(ReaderStatusError):
    """0x41 and friends: the card could not be read."""

    message_zh = "读卡失败，请重新放置身份证"
    message_en = "card read failed"


class CardAuthenticationError(ReaderStatusError):
    """0x31/0x32/0x33/0x40/0x47: the card and the module did not accept each other."""

    message_zh = "证件认证失败"
    message_en = "card authentication failed"


class NoContentError(ReaderStatusError):
    """0x91: nothing stored for this item (e.g. no additional address)."""

    message_zh = "无此项内容"
    message_en = "no content for this item"


class ModuleError(ReaderStatusError):
    """The security module rejected the command or failed.

    Status codes 0x10, 0x11, 0x21, 0x23, 0x24, 0x60, 0x66.
    """

    message_zh = "安全模块错误"
    message_en = "security module error"


class UnknownStatusError(ReaderStatusError):
    """A status code the protocol does not list; reported as is, never guessed at."""

    message_zh = "阅读器返回未知状态"
    message_en = "unknown reader status"


# SW3 → (exception class, English, Chinese). Only the codes the protocol lists.
_STATUS: dict[int, tuple[type[ReaderStatusError], str, str]] = {
    0x91: (NoContentError, "no content for this item", "无此项内容"),
    0x10: (ModuleError, "module received a frame with a bad checksum", "模块接收数据校验和错误"),
    0x11: (ModuleError, "module received a frame with a bad length", "模块接收数据长度错误"),
    0x21: (ModuleError, "command not recognised by the module", "模块接收命令错误"),
    0x23: (ModuleError, "operation not permitted", "越权操作"),
    0x24: (ModuleError, "unrecognised module error", "无法识别的错误"),
    0x31: (CardAuthenticationError, "card failed to authenticate the module", "卡认证机具失败"),
    0x32: (CardAuthenticationError, "module failed to authenticate the card", "机具认证卡失败"),
    0x33: (CardAuthenticationError, "information verification error", "信息验证错误"),
    0x40: (CardAuthenticationError, "unrecognised card type", "无法识别的卡类型"),
    0x41: (CardReadError, "card read failed", "读卡操作失败"),
    0x47: (CardAuthenticationError, "random number failed", "取随机数失败"),
    0x60: (ModuleError, "module self-test failed", "模块自检失败"),
    0x66: (ModuleError, "module not authorised", "模块未经授权"),
    0x80: (NoCardError, "no card on the reader", "找卡失败，未放置身份证"),
    0x81: (SelectCardError, "select card failed", "选卡失败"),
}


def status_error(status: int) -> ReaderStatusError:
    """The typed exception for a non-success SW3 (not raised here; the caller raises it)."""
    entry = _STATUS.get(status)
    if entry is None:
        return UnknownStatusError(
            status, f"unknown reader status 0x{status:02X}", f"阅读器返回未知状态 0x{status:02X}"
        )
    cls, en, zh = entry
    return cls(status, f"{en} (0x{status:02X})", zh)


# --- card data -----------------------------------------------------------------------------


class CardParseError(IdCardError):
    """The card's text block does not parse: a bad number, date, code or layout.

    ``field`` names the offending field; the value itself is never part of the message.
    """

    message_zh = "证件信息无法识别"
    message_en = "card data could not be parsed"

    def __init__(self, field: str, message_en: str, message_zh: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message_en}", message_zh)


class PhotoDecoderError(IdCardError):
    """The configured photo (WLT) decoder plug-in cannot be loaded."""

    message_zh = "照片解码插件无法加载"
    message_en = "photo decoder plug-in cannot be loaded"
