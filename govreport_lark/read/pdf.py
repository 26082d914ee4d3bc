"""PDF reader: the text layer page by page, ruled tables as one line per row.

pdfplumber's table geometry finds ruled tables (what page.find_tables() finds,
pdf_page draws them faster); each row becomes one line with its cells joined by
tabs at the table's place on the page, and the text outside the tables is read
as ordinary lines, so the output has the same shape as the HTML and DOCX readers
give.

Cells: pdfplumber reports an empty cell as "" and a grid slot covered by a
merged cell (colspan or rowspan) as None.  The empty cell stays an empty field;
the covered slot is dropped, as the HTML reader drops colspan/rowspan slots, so
a row reads the same whichever format the report came in (a rowspan label such
as （三）不予公开 appears in its first row only).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import threading
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from govreport_lark.errors import InputError
from govreport_lark.read.html import clean_text, join_wrapped
from govreport_lark.read.source import SPANNED, SourceText

_MISSING = "reading PDF needs the pdf extra: pip install 'govreport-lark[pdf]'"
_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]"
_CJK_GAP = re.compile(rf"(?<={_WIDE}) +(?={_WIDE})")
_NO_TEXT = "scanned PDF: no text layer; run OCR first (e.g. ocrmypdf) and parse its output"

# What the streams of one PDF may decode to, counted on the bytes really produced and
# stopped as soon as a limit is passed, so a bomb is refused after at most a limit's
# worth of work and memory.  In the bundled reports the largest stream decodes to
# 0.4 MB and a whole report to 2 MB (0.35 MB a page, fonts included); a whole embedded
# CJK font is a few tens of MB, and the pictures of a scanned report are never decoded
# here.  Text, drawing and fonts compress about 2:1 to 10:1.
_MAX_STREAM = 64 * 1024 * 1024  # one stream decoded (each filter's output)
_MAX_DECODED = 256 * 1024 * 1024  # all the streams of one PDF decoded, together
_MAX_RATIO = 200  # decoded : encoded of one stream, judged above _RATIO_FLOOR
_RATIO_FLOOR = 1024 * 1024
_ENCRYPTED = (
    "the PDF is encrypted and opens only with a password; save an unencrypted copy "
    "(open it with its password and print or save it to a new PDF)"
)


def _cell_text(cell: str | None) -> str:
    # A cell's text wraps inside its box; vertical labels (三、本年度办理结果)
    # come one character per line.  Join like a wrapped CJK line.
    text = join_wrapped([clean_text(part) for part in (cell or "").splitlines()])
    # A cell is one field, so a gap between two CJK characters is layout
    # (Word's distributed alignment: 予 以 公 开), not a separator.  Text
    # outside tables keeps its gaps: there they may separate columns.
    return _CJK_GAP.sub("", text)


def _table_lines(rows: list[list[str | None]]) -> list[str]:
    """One tab-joined line per row with any text."""
    lines = []
    for row in rows:
        # Every slot of the grid, a merged one (None) as SPANNED: values keep their column.
        fields = [SPANNED if cell is None else _cell_text(cell) for cell in row]
        if any(f and f != SPANNED for f in fields):
            lines.append("\t".join(fields))
    return lines


def _page_items(page: Any) -> list[tuple[list[str], bool]]:
    """(lines, is_table) blocks of one page, top to bottom: tables and the text
    outside them."""
    from govreport_lark.read.pdf_page import page_blocks

    items: list[tuple[list[str], bool]] = []
    for _top, block in page_blocks(page):
        if isinstance(block, str):
            text = clean_text(block)
            if text:
                items.append(([text], False))
        else:
            items.append((_table_lines(block), True))
    return items


# ------------------------------------------------------------------ bounded decoding
#
# pdfminer inflates a stream whole (zlib.decompress, its LZW and RunLength decoders):
# a 1 MB file can ask for gigabytes.  While read_pdf runs, pdfminer's decoders are
# replaced by ones that stop at the limits of a budget held in a context variable, so
# concurrent readers in other threads each have their own; outside read_pdf (or with
# several read_pdf at once, until the last returns) pdfminer is what it was.


class _Budget:
    def __init__(self, fast_cmaps: bool = True) -> None:
        self.fast_cmaps = fast_cmaps  # fonts' ToUnicode maps cut by pdf_content
        self.left = _MAX_DECODED
        self.refused: str | None = None
        self._why = ""

    def room(self, encoded: int, used: int = 0) -> int:
        """How much more a stream of ``encoded`` bytes that has given ``used`` bytes so
        far may give; the nearest limit is remembered for the refusal."""
        if self.refused is not None:
            raise _Refused(self.refused)
        limits = [
            (_MAX_STREAM - used, f"a stream that unpacks to more than {_MAX_STREAM >> 20} MB"),
            (self.left, f"streams that unpack to more than {_MAX_DECODED >> 20} MB in all"),
            (
                max(_RATIO_FLOOR, _MAX_RATIO * encoded) - used,
                f"a stream compressed more than {_MAX_RATIO}:1",
            ),
        ]
        room, why = min(limits)
        self._why = f"the PDF holds {why}"
        return max(0, room)

    def refuse(self) -> None:
        self.refused = self._why
        raise _Refused(self.refused)

    def take(self, produced: int) -> None:
        self.left -= produced


class _Refused(Exception):
    """A stream decodes past the budget: the read ends."""


_BUDGET: ContextVar[_Budget | None] = ContextVar("govreport_pdf_budget", default=None)
_PATCH_LOCK = threading.Lock()
_PATCH_USERS = 0
# pdfminer's own functions, saved the first time they are replaced and put back when
# the last read_pdf returns.
_ORIGINAL: dict[tuple[str, str], Any] = {}


def _inflate(budget: _Budget, d: Any, data: bytes, encoded: int, used: int = 0) -> bytes:
    room = budget.room(encoded, used)
    out: bytes = d.decompress(data, room + 1)  # never more than one byte past the room
    if len(out) > room:
        budget.refuse()
    budget.take(len(out))
    return out


class _BoundedZlib:
    """zlib as pdfminer.pdftypes sees it: decompress keeps to the budget."""

    error = zlib.error

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def decompress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        budget = _BUDGET.get()
        if budget is None or args or kwargs:
            return zlib.decompress(data, *args, **kwargs)
        d = zlib.decompressobj()
        out = _inflate(budget, d, data, len(data))
        if not d.eof:  # as zlib.decompress: pdfminer then tries decompress_corrupted
            budget.take(-len(out))  # which counts it again
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out


def _decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's decompress_corrupted (errors in the last 3 bytes, the checksum, are
    forgiven), in bounded memory and linear time (it joins its output a byte at a time)."""
    budget = _BUDGET.get()
    if budget is None:
        return _ORIGINAL[("pdfminer.pdftypes", "decompress_corrupted")](data)  # type: ignore[no-any-return]
    d = zlib.decompressobj()
    cut = max(len(data) - 3, 0)
    out = _inflate(
        budget, d, data[:cut], len(data)
    )  # an error before the checksum is pdfminer's too
    try:
        out += _inflate(budget, d, data[cut:], len(data), len(out))
    except zlib.error:
        pass
    return out


def _lzwdecode(data: bytes) -> bytes:
    budget = _BUDGET.get()
    if budget is None:
        return _ORIGINAL[("pdfminer.pdftypes", "lzwdecode")](data)  # type: ignore[no-any-return]
    from pdfminer.lzw import LZWDecoder

    room, parts, size = budget.room(len(data)), [], 0
    for part in LZWDecoder(io.BytesIO(data)).run():
        size += len(part)
        if size > room:
            budget.refuse()
        parts.append(part)
    budget.take(size)
    return b"".join(parts)


def _rldecode(data: bytes) -> bytes:
    """RunLengthDecode (PDF 1.7, 7.4.5) into a bytearray: pdfminer's makes a list of
    ints, eight bytes of memory for each byte of output.  A run cut short by the end
    of the data ends the output."""
    budget = _BUDGET.get()
    if budget is None:
        return _ORIGINAL[("pdfminer.pdftypes", "rldecode")](data)  # type: ignore[no-any-return]
    room, out, i, end = budget.room(len(data)), bytearray(), 0, len(data)
    while i < end:
        length = data[i]
        if length == 128:
            break
        if length < 128:
            out += data[i + 1 : i + 2 + length]
            i += 2 + length
        elif i + 1 < end:
            out += data[i + 1 : i + 2] * (257 - length)
            i += 2
        else:
            break
        if len(out) > room:
            budget.refuse()
    budget.take(len(out))
    return bytes(out)


def _apply_png_predictor(pred: int, colors: int, columns: int, bits: int, data: bytes) -> bytes:
    """pdfminer's, with /Columns no longer than the data: it allocates a row of
    /Columns entries before looking at the data, so a stream of a few bytes that
    claims a billion columns would take gigabytes for nothing."""
    original = _ORIGINAL[("pdfminer.pdftypes", "apply_png_predictor")]
    if _BUDGET.get() is not None:
        columns = min(columns, len(data))
    return original(pred, colors, columns, bits, data)  # type: ignore[no-any-return]


_ID_NAME = re.compile(rb"[A-Za-z0-9_.-]{1,64}")


def _decipher_all(decipher: Any, objid: int, genno: int, x: Any, key: str | None = None) -> Any:
    """pdfminer's decipher_all, except that a CIDSystemInfo Registry or Ordering left
    unencrypted by its writer (ReportLab does, in a PDF with an empty user password)
    is kept: deciphering plain "Adobe"/"GB1" would make noise of it, and every CJK
    character of the font would read as (cid:NNNN)."""
    if _BUDGET.get() is None:
        return _ORIGINAL[("pdfminer.pdfdocument", "decipher_all")](decipher, objid, genno, x)
    if isinstance(x, bytes):
        if not x:
            return x
        plain = decipher(objid, genno, x)
        if (
            key in ("Registry", "Ordering")
            and _ID_NAME.fullmatch(x)
            and not _ID_NAME.fullmatch(plain)
        ):
            return x
        return plain
    if isinstance(x, list):
        return [_decipher_all(decipher, objid, genno, v) for v in x]
    if isinstance(x, dict):
        for k, v in x.items():
            x[k] = _decipher_all(decipher, objid, genno, v, k)
    return x


def _cmap_parser(cmap: Any, fp: Any) -> Any:
    """pdfminer's CMapParser, fed by pdf_content's tokenizer while a PDF is read."""
    budget = _BUDGET.get()
    if budget is None or not budget.fast_cmaps:
        return _ORIGINAL[("pdfminer.pdffont", "CMapParser")](cmap, fp)
    from govreport_lark.read.pdf_cmap import FastCMapParser

    return FastCMapParser(cmap, fp)


def _replacements() -> dict[tuple[str, str], Any]:
    return {
        ("pdfminer.pdftypes", "zlib"): _BoundedZlib(),
        ("pdfminer.pdftypes", "decompress_corrupted"): _decompress_corrupted,
        ("pdfminer.pdftypes", "lzwdecode"): _lzwdecode,
        ("pdfminer.pdftypes", "rldecode"): _rldecode,
        ("pdfminer.pdftypes", "apply_png_predictor"): _apply_png_predictor,
        ("pdfminer.pdfdocument", "decipher_all"): _decipher_all,
        ("pdfminer.pdffont", "CMapParser"): _cmap_parser,
    }


@contextlib.contextmanager
def _bounded_decoding(fast_cmaps: bool = True) -> Iterator[_Budget]:
    """pdfminer's decoders bounded by a fresh budget for the calls in this block
    (and fonts' ToUnicode maps cut by pdf_content, unless ``fast_cmaps`` is False)."""
    global _PATCH_USERS
    import sys

    import pdfminer.pdfdocument
    import pdfminer.pdffont
    import pdfminer.pdftypes  # noqa: F401  (all in sys.modules from here on)

    budget = _Budget(fast_cmaps)
    token = _BUDGET.set(budget)
    with _PATCH_LOCK:
        if _PATCH_USERS == 0:
            for (module, name), replacement in _REPLACEMENTS.items():
                _ORIGINAL.setdefault((module, name), getattr(sys.modules[module], name))
                setattr(sys.modules[module], name, replacement)
        _PATCH_USERS += 1
    try:
        yield budget
    finally:
        with _PATCH_LOCK:
            _PATCH_USERS -= 1
            if _PATCH_USERS == 0:
                for (module, name), original in _ORIGINAL.items():
                    setattr(sys.modules[module], name, original)
        _BUDGET.reset(token)


_REPLACEMENTS = _replacements()


def _encryption_error(exc: BaseException) -> BaseException | None:
    """The pdfminer encryption error behind ``exc`` (pdfplumber wraps them), if any."""
    from pdfminer.pdfdocument import PDFEncryptionError

    seen: list[BaseException] = [exc]
    while seen:
        err = seen.pop()
        if isinstance(err, PDFEncryptionError):
            return err
        seen.extend(a for a in err.args if isinstance(a, BaseException))
        seen.extend(e for e in (err.__cause__, err.__context__) if e is not None)
        if len(seen) > 20:
            break
    return None


def _bomb_message(problem: str) -> str:
    return f"{problem}; the file is damaged or hostile: open it in a PDF viewer and print it to a new PDF"


def read_pdf(data: bytes, *, max_pages: int = 500) -> SourceText:
    """Read a PDF's text layer into lines; ``pages`` gives each line's page."""
    if importlib.util.find_spec("pdfplumber") is None:
        raise InputError("MISSING_EXTRA", _MISSING)
    import pdfplumber

    lines: list[str] = []
    pages: list[int | None] = []
    grids: list[int | None] = []
    with _bounded_decoding() as budget:
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                count = len(pdf.pages)
                if count > max_pages:
                    raise InputError(
                        "TOO_MANY_PAGES",
                        f"the PDF has {count} pages, more than the limit of {max_pages}; "
                        "raise max_pages if this really is one annual report",
                    )
                for number, page in enumerate(pdf.pages, start=1):
                    for block, is_table in _page_items(page):
                        lines.extend(block)
                        pages.extend([number] * len(block))
                        grids.extend([len(lines) if is_table else None] * len(block))
                    page.close()  # drop the page's cached objects: big reports stay small
                    if budget.refused is not None:
                        break
        except InputError:
            raise
        except Exception as exc:
            if budget.refused is not None:
                raise InputError("DECOMPRESSION_BOMB", _bomb_message(budget.refused)) from None
            encrypted = _encryption_error(exc)
            if encrypted is not None:
                from pdfminer.pdfdocument import PDFPasswordIncorrect

                if isinstance(encrypted, PDFPasswordIncorrect):
                    raise InputError("ENCRYPTED_PDF", _ENCRYPTED) from None
                raise InputError(
                    "ENCRYPTED_PDF",
                    f"the PDF is encrypted in a way this reader cannot open ({encrypted}); "
                    "save an unencrypted copy (open it and print or save it to a new PDF)",
                ) from None
            raise InputError(
                "UNREADABLE_PDF", f"the PDF cannot be read ({type(exc).__name__}: {exc})"
            ) from None
    # A refusal that pdfminer or pdfplumber caught on the way still ends the read.
    if budget.refused is not None:
        raise InputError("DECOMPRESSION_BOMB", _bomb_message(budget.refused))
    if not lines:
        raise InputError("NO_TEXT_LAYER", _NO_TEXT)
    return SourceText(
        lines=lines,
        format="pdf",
        src_lines=list(range(1, len(lines) + 1)),
        pages=pages,
        grids=grids,
    )
