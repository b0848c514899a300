"""Reading documents: encodings detected, binary files refused, one clear error per problem."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

__all__ = ["Document", "read_text", "decode_bytes", "BinaryInput"]

_MAGIC = {
    b"\x89PNG": "PNG image", b"%PDF": "PDF document", b"PK\x03\x04": "zip archive",
    b"\xff\xd8\xff": "JPEG image", b"GIF8": "GIF image", b"\x7fELF": "executable",
    b"BZh": "bzip2 archive", b"\xfd7zXZ": "xz archive", b"Rar!": "rar archive", b"7z\xbc\xaf": "7z archive",
}


class BinaryInput(InputError):
    """The file is not text."""


@dataclass
class Document:
    id: str
    text: str
    encoding: str = "utf-8"
    path: str = ""
    date: str = ""
    source: str = ""
    url: str = ""


def decode_bytes(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Bytes -> (text, encoding). BOMs first, then strict UTF-8, then charset-normalizer.

    Undecodable bytes never crash: they become U+FFFD."""
    if encoding:
        try:
            return data.decode(encoding, errors="replace"), encoding
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise BinaryInput(f"{name}: is a {what}, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=None).best()
    if best is None or (b"\x00" in data[:4096] and not best.encoding.startswith("utf_16")):
        raise BinaryInput(f"{name}: is binary, not text")
    enc = best.encoding
    # GBK is a subset of GB18030: decode as the superset so no character is lost
    if enc in ("gbk", "gb2312", "hz"):
        enc = "gb18030"
    return data.decode(enc, errors="replace"), enc


def read_text(path: str | Path, encoding: str | None = None) -> Document:
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    text, enc = decode_bytes(data, str(path), encoding)
    return Document(p.stem, text, enc, str(path))
