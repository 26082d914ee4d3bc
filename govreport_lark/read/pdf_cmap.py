"""pdfminer's CMap parser (a font's ToUnicode map) fed by pdf_content's tokenizer.

A report's fonts each carry a ToUnicode CMap of a few hundred to thousands of
entries, parsed by pdfminer's byte-at-a-time tokenizer when the font is first
used.  This parser is pdfminer's CMapParser, keywords and all; only its tokens
come from pdf_content (pdfminer's own where pdf_content declines the stream).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from pdfminer.cmapdb import CMapBase, CMapParser
from pdfminer.psparser import PSEOF

from govreport_lark.read.pdf_content import stream_tokens

# A CMap cut whole above this size is left to pdfminer's tokenizer (memory).
MAX_WHOLE = 8 * 1024 * 1024


class FastCMapParser(CMapParser):
    def __init__(self, cmap: CMapBase, fp: BinaryIO) -> None:
        super().__init__(cmap, fp)
        self._cut: Iterator[Any] | None = None
        if isinstance(fp, io.BytesIO) and len(fp.getbuffer()) <= MAX_WHOLE:
            tokens = stream_tokens(fp.getvalue())
            if tokens is not None:
                self._cut = iter(tokens)

    def nexttoken(self) -> tuple[int, Any]:
        if self._cut is None:
            return super().nexttoken()
        for token in self._cut:
            return 0, token  # a token's place is not used by the CMap parser
        raise PSEOF("Unexpected EOF")
