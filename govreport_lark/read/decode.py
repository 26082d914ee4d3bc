"""Bytes to text: UTF-8 (with or without BOM), UTF-16, GB18030/GBK; anything else is an error."""

from __future__ import annotations

import codecs

from govreport_lark.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# The start of an old Office file (OLE2 compound file): Word .doc, .xls, .ppt.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Every byte but the control bytes that make a file look binary (tab, line ends, form
# feed and escape are text).
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 27))


def looks_binary(data: bytes) -> bool:
    """A NUL byte or many control bytes in the head means this is no text file.

    UTF-16 without BOM has NULs too; callers try that before calling this.
    """
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))  # the control bytes, counted in C
    return bool(head) and controls / len(head) > 0.05


def _plausibility(text: str) -> float:
    """Share of characters a report is made of: CJK, CJK and general punctuation,
    full-width forms, printable ASCII, tab and line ends."""
    if not text:
        return 0.0
    good = sum(
        1
        for ch in text
        if " " <= ch <= "~" or ch in "\t\n\r" or "\u3000" <= ch <= "\u9fff"
        or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f"
    )
    return good / len(text)


def _utf16_without_bom(data: bytes, path: str | None = None) -> str | None:
    """The text if ``data`` is UTF-16 without a byte-order mark, else None.

    CJK text in UTF-16 has a NUL in every other byte only for ASCII, and a report that
    opens with a page of prose has hardly any, so the share of NULs alone cannot tell.
    Any NUL in the head makes both byte orders a candidate; the one that decodes to text
    reading as Chinese wins (the wrong order gives Hangul, private-use and rare CJK).
    """
    head = data[:4096]
    head = head[: len(head) - len(head) % 2]
    if len(head) < 4 or b"\x00" not in head:
        return None
    scores = []
    for encoding in ("utf-16-le", "utf-16-be"):
        score = _plausibility(head.decode(encoding, errors="replace"))
        # ASCII sits on the odd bytes' NULs in little-endian, the even ones in big-endian
        zeros = head[1::2].count(0) if encoding == "utf-16-le" else head[0::2].count(0)
        scores.append((score, zeros, encoding))
    score, _, encoding = max(scores)
    if score < 0.9:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            "UNDECODABLE",
            f"looks like {encoding.upper()} text without a byte-order mark but is not valid "
            f"{encoding.upper()} at offset {exc.start}"
            + (" (the file is cut short)" if exc.start >= len(data) - 3 else "")
            + "; re-save it as UTF-8",
            path=path,
        ) from None


def decode_text(data: bytes, *, path: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise ``InputError`` for binary or undecodable bytes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(
                    "UNDECODABLE",
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {exc.start}); re-save the file as UTF-8",
                    path=path,
                ) from None
    text16 = _utf16_without_bom(data, path)
    if text16 is not None:
        return text16, "utf-16"
    if data.startswith(_OLE2):
        raise InputError(
            "BINARY_INPUT",
            "is an old Office file (a Word .doc, or .xls, .ppt), not text; "
            "open it in Word and save it as .docx",
            path=path,
        )
    if looks_binary(data):
        nul = data.find(b"\x00", 0, 8192)
        where = f" (a NUL byte at offset {nul})" if nul >= 0 else ""
        raise InputError(
            "BINARY_INPUT",
            f"is a binary file, not text{where}; give a .txt, .md, .html, .pdf or .docx report",
            path=path,
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        _reject_damaged_utf8(data, exc, path)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(
            "UNDECODABLE",
            f"is neither UTF-8, UTF-16 nor GB18030/GBK (bad byte at offset {exc.start}, "
            f"line {_line_at(data, exc.start)}); re-save it as UTF-8",
            path=path,
        ) from None
    # GB18030 decodes almost any byte soup; demand that the result reads as Chinese.
    cjk = sum(1 for ch in text[:4000] if "\u4e00" <= ch <= "\u9fff")
    odd = sum(1 for ch in text[:4000] if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    if cjk == 0 or odd > cjk // 10:
        raise InputError(
            "UNDECODABLE",
            "does not decode to Chinese text as UTF-8, UTF-16 or GB18030; check its encoding",
            path=path,
        )
    return text, "gb18030"


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _reject_damaged_utf8(data: bytes, exc: UnicodeDecodeError, path: str | None) -> None:
    """Raise for UTF-8 text with a few broken bytes (a cut or damaged file, a mixed paste).

    Such a file must not fall through to GB18030: that would read the whole file as
    mojibake, and a GB18030 lead byte swallows the ASCII digit after it.  Nor are the
    broken bytes replaced quietly, since the decoder has no way to report it.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    if cjk < 8 or bad * 20 > cjk:
        return  # not UTF-8 with damage: let GB18030 have a go
    where = f"offset {exc.start} (line {_line_at(data, exc.start)})"
    if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
        problem = f"ends in the middle of a UTF-8 character at {where}: the file is cut short"
    elif bad == 1:
        problem = f"is UTF-8 but has an invalid byte at {where}"
    else:
        problem = f"is UTF-8 but has {bad} invalid byte sequences, the first at {where}"
    raise InputError(
        "UNDECODABLE",
        f"{problem}; repair the file or re-save it as UTF-8",
        path=path,
    ) from None
