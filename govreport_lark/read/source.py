"""The text of one input as lines, whatever its format, with where each line came from."""

from __future__ import annotations

from dataclasses import dataclass, field

# A grid slot covered by a cell's rowspan or colspan: not a cell of its own.  A character
# of the private use area, which no normalisation step touches.
SPANNED = "\ue000"


@dataclass
class SourceText:
    """Text lines of a document in reading order.

    Readers put one table row on one line with its cells separated by tabs, an
    empty cell as an empty field, so blank cells keep their column.  ``src_lines``
    holds the 1-based line of the input file each line comes from (for HTML the
    line of the element in the page source), ``pages`` the 1-based page for PDF.

    ``grids`` names, for each line that is a row of a table whose cells the reader knows
    (HTML, DOCX, PDF tables), the table it belongs to; such a row holds every slot of
    the table's grid, a slot that a row or column span covers written as ``SPANNED``.
    """

    lines: list[str]
    format: str
    src_lines: list[int] = field(default_factory=list)
    pages: list[int | None] = field(default_factory=list)
    title_hint: str | None = None  # e.g. an HTML <title>, used when the body has none
    meta_title: str | None = None  # the page's own title field (<meta name="ArticleTitle">)
    published_hint: str | None = None  # the page's date field (<meta name="PubDate">)
    grids: list[int | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.src_lines:
            self.src_lines = list(range(1, len(self.lines) + 1))
        if not self.pages:
            self.pages = [None] * len(self.lines)
        if not self.grids:
            self.grids = [None] * len(self.lines)

    @property
    def cells_exact(self) -> bool:
        """HTML, DOCX and PDF tables give every cell of a row, so an empty field at a row's end
        is a blank cell; in plain text a trailing tab may be layout (seed 000 ends most rows,
        full or not, with one)."""
        return self.format in ("html", "docx", "pdf")
