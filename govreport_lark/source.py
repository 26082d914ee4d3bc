"""The text of one input as lines, whatever its format, with where each line came from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceText:
    """Text lines of a document in reading order.

    Readers put one table row on one line with its cells separated by tabs, an
    empty cell as an empty field, so blank cells keep their column.  ``src_lines``
    holds the 1-based line of the input file each line comes from (for HTML the
    line of the element in the page source), ``pages`` the 1-based page for PDF.
    """

    lines: list[str]
    format: str
    src_lines: list[int] = field(default_factory=list)
    pages: list[int | None] = field(default_factory=list)
    title_hint: str | None = None  # e.g. an HTML <title>, used when the body has none

    def __post_init__(self) -> None:
        if not self.src_lines:
            self.src_lines = list(range(1, len(self.lines) + 1))
        if not self.pages:
            self.pages = [None] * len(self.lines)

    @property
    def cells_exact(self) -> bool:
        """HTML, DOCX and PDF tables give every cell of a row, so an empty field at a row's end
        is a blank cell; in plain text a trailing tab may be layout (seed 000 ends most rows,
        full or not, with one)."""
        return self.format in ("html", "docx", "pdf")
