"""Which official template a report follows, told from its labels (template.md §7)."""

from __future__ import annotations

from govreport_lark.model import Diagnostic


def detect(votes_2: tuple[int, int], other_single: bool, other_rows: bool,
           year: int | None) -> tuple[str, list[Diagnostic]]:
    """Section 二's column labels decide; section 三's （六） confirms; the year breaks a tie.

    ``votes_2`` counts 2019-only and 2021-only labels of section 二.  （六）其他处理 printed
    as one row with values is a 2019 signal, its rows 1.–3. a 2021 signal.
    """
    diags: list[Diagnostic] = []
    by_2 = "2019" if votes_2[0] > votes_2[1] else "2021" if votes_2[1] > votes_2[0] else None
    by_3 = "2021" if other_rows else "2019" if other_single else None
    by_year = None if year is None else ("2019" if year <= 2020 else "2021")
    template = by_2 or by_3 or by_year or "2021"
    if votes_2[0] and votes_2[1]:
        diags.append(Diagnostic(
            "TEMPLATE_MIXED", "warning",
            f"section 二 mixes column labels of both templates ({votes_2[0]} of 2019, "
            f"{votes_2[1]} of 2021); read as {template}",
            section="二", line=None, responsibility="report",
            params={"votes_2019": votes_2[0], "votes_2021": votes_2[1], "template": template}))
    if by_2 and by_3 and by_2 != by_3:
        diags.append(Diagnostic(
            "TEMPLATE_MIXED", "warning",
            f"section 二 follows the {by_2} template but section 三's （六）其他处理 follows the "
            f"{by_3} one; read as {template}",
            section="三", line=None, responsibility="report",
            params={"by_active": by_2, "by_applications": by_3, "template": template}))
    if by_2 is None and by_3 is None:
        diags.append(Diagnostic(
            "TEMPLATE_FROM_YEAR", "info",
            f"no label tells the template apart; {template} assumed from the year {year}",
            section=None, line=None))
    elif by_year and template != by_year:
        diags.append(Diagnostic(
            "TEMPLATE_YEAR_MISMATCH", "warning",
            f"a report on {year} printed in the {template} template",
            section=None, line=None, responsibility="report"))
    return template, diags
