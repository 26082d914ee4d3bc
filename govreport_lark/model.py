"""Typed results of a parse: the ``Report`` tree whose JSON form is the output contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "govreport/1"

# 三's seven columns, in the template's order (output contract).
APPLICANT_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)

# 四: three groups of five, in the template's order.
REVIEW_GROUPS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_FIELDS = ("maintained", "corrected", "other", "pending", "total")

Number = int | float


@dataclass(slots=True)  # hundreds a report: slots make them quicker to build
class Cell:
    """One table cell: its value (``None`` for blank or placeholder), the text as
    printed, and where it came from."""

    value: Number | None = None
    raw: str | None = None
    line: int | None = None
    page: int | None = None
    inferred: bool = False  # filled from the template's arithmetic, not printed
    # Printed, but where it stands rests on the template's arithmetic: digits run together
    # split, or a spurious number dropped, by the one reading that keeps the sums, or a row
    # short of a cell where any placement gives the same values (which went unprinted is
    # not known).
    placed: bool = False
    unit: str | None = None  # money: the unit it was read in (its own or its header's)

    def provenance(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line}
        if self.page is not None:
            out["page"] = self.page
        if self.raw is not None:
            out["raw"] = self.raw
        if self.inferred:
            out["inferred"] = True
        if self.placed:
            out["placed"] = True
        return out


@dataclass
class Diagnostic:
    code: str
    severity: str  # error | warning | info
    message: str
    section: str | None = None
    line: int | None = None
    row: str | None = None
    column: str | None = None
    page: int | None = None
    responsibility: str | None = None  # "report" (the document's fault) or "parser"
    # The finding's numbers and names as data (printed values, sums, labels), so that it can
    # be told in any language; emitted only when non-empty.
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "section": self.section,
            "line": self.line,
        }
        for key in ("row", "column", "page", "responsibility"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.params:
            out["params"] = self.params
        return out


@dataclass
class ActiveItem:
    """One 第二十条 item of section 二: row key -> column key -> cell."""

    rows: dict[str, dict[str, Cell]] = field(default_factory=dict)
    extra: dict[str, dict[str, Cell]] = field(default_factory=dict)


@dataclass
class Applications:
    """Section 三: row key -> seven cells (APPLICANT_COLUMNS); rows the template does not
    have under ``extra``, keyed by their label as printed."""

    rows: dict[str, list[Cell]] = field(default_factory=dict)
    extra: dict[str, list[Cell]] = field(default_factory=dict)


@dataclass
class ReviewLitigation:
    """Section 四: group -> field -> cell."""

    groups: dict[str, dict[str, Cell]] = field(default_factory=dict)


@dataclass
class Source:
    path: str | None
    sha256: str
    format: str


@dataclass
class Report:
    source: Source
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    published: str | None = None
    active_disclosure: dict[str, ActiveItem] = field(default_factory=dict)
    applications: Applications = field(default_factory=Applications)
    review_litigation: ReviewLitigation = field(default_factory=ReviewLitigation)
    narrative: dict[str, list[str]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    schema: str = SCHEMA

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]
