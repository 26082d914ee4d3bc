"""pdfminer's page interpreter, fed by pdf_content's tokenizer and with its
operators looked up once per interpreter instead of once per operator drawn.

Everything a page draws is still drawn by pdfminer (its text and graphics state,
fonts, characters, paths); only how the content streams are cut into objects and
how an operator finds its method differ, and both give what pdfminer gives.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from pdfminer import settings
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import PSKeyword, keyword_name

from govreport_lark.read.pdf_content import content_objects

log = logging.getLogger("pdfminer.pdfinterp")

# A page's content is cut into objects whole before it runs, where pdfminer cuts it
# as it goes; above this size (the bundled reports' largest is 0.4 MB) pdfminer's
# own parser keeps memory to what the page draws.
MAX_WHOLE = 8 * 1024 * 1024


def _method_name(keyword: PSKeyword) -> str:
    name = keyword_name(keyword)
    return "do_{}".format(name.replace("*", "_a").replace('"', "_w").replace("'", "_q"))


class FastInterpreter(PDFPageInterpreter):
    """PDFPageInterpreter.execute over pdf_content's objects (pdfminer's own parser
    where pdf_content declines a content)."""

    def execute(self, streams: Sequence[object]) -> None:
        if not hasattr(self, "parent_stream_ids"):  # a pdfminer before its guard below
            super().execute(streams)
            return
        # pdfminer's guard against content streams that draw themselves
        valid: list[PDFStream] = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None:
                log.warning("Execute called on non-indirect object (inline image?) %r", stream)
                continue
            if stream.objid in self.parent_stream_ids:
                log.warning("Refusing to execute circular reference to content stream %d",
                            stream.objid)  # fmt: skip
            else:
                valid.append(stream)
                self.stream_ids.add(stream.objid)
        datas = [stream.get_data() for stream in valid]
        objects = content_objects(datas) if sum(map(len, datas)) <= MAX_WHOLE else None
        if objects is None:
            super().execute(streams)
            return
        methods: dict[PSKeyword, tuple[Any, int] | None] = {}
        push = self.argstack.append
        for obj in objects:
            if obj.__class__ is not PSKeyword:
                push(obj)
                continue
            try:
                found = methods[obj]
            except KeyError:
                name = _method_name(obj)
                if hasattr(self, name):
                    func = getattr(self, name)
                    found = (func, func.__code__.co_argcount - 1)
                else:
                    found = None
                methods[obj] = found
            if found is None:
                if settings.STRICT:
                    raise PDFInterpreterError(f"Unknown operator: {keyword_name(obj)!r}")
                continue
            func, nargs = found
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    func(*args)
            else:
                func()
            push = self.argstack.append  # pop() and Q rebind the stack list
