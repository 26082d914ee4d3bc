"""One quantity of a panel over the years: 平潭综合实验区's newly received applications
(三 一、本年新收, 总计) 2019–2025, across the change of template in 2021.

    pip install 'govreport-lark[examples]'
    python examples/panel_plot.py                       # writes examples/pingtan_new_received.png
    python examples/panel_plot.py panel.csv AGENCY_KEY QUANTITY COLUMN out.png

Without arguments it builds the panel from the Pingtan reports in corpus/real (as
``govreport batch corpus/real/008.txt corpus/real/pingtan20*.txt --out cells.csv --panel
panel.csv`` does) and prints its cross-year findings."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PINGTAN = [ROOT / "corpus" / "real" / "008.txt",
           *sorted((ROOT / "corpus" / "real").glob("pingtan20*.txt"))]


def build_panel(folder: Path) -> Path:
    from govreport_lark.output.batch import run_batch, summary

    panel = folder / "panel.csv"
    counts = run_batch([str(p) for p in PINGTAN], str(folder / "cells.csv"), panel=str(panel))
    print(summary(counts, panel=str(panel)))
    return panel


def plot(panel: Path, agency_key: str, quantity: str, column: str, out: Path) -> None:
    frame = pd.read_csv(panel)
    series = frame[(frame["agency_key"] == agency_key) & (frame["quantity"] == quantity)
                   & (frame["column"] == column)].sort_values("year")
    if series.empty:
        raise SystemExit(f"{panel}: no {quantity}/{column} of {agency_key}")
    # A font with Chinese glyphs where there is one; the labels read without it too.
    plt.rcParams["font.sans-serif"] = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "SimHei",
                                       "DejaVu Sans"]
    fig, ax = plt.subplots(figsize=(5, 2.8), dpi=100)
    ax.plot(series["year"], series["value"], marker="o", color="#1f5f8b")
    for year, value in zip(series["year"], series["value"], strict=True):
        if pd.notna(value):
            ax.annotate(f"{value:g}", (year, value), textcoords="offset points",
                        xytext=(0, 6), ha="center", fontsize=8)
    ax.axvline(2020.5, color="#999999", linewidth=0.8, linestyle="--")
    ax.text(2020.55, ax.get_ylim()[1] * 0.9, "2021 template", fontsize=7, color="#666666")
    ax.set_title(f"{agency_key}: {quantity} ({column})", fontsize=9)
    ax.set_xticks(list(series["year"]))
    ax.set_ylabel("applications", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(out)
    print(f"wrote {out}")


def main(argv: list[str]) -> None:
    if argv:
        panel, agency_key, quantity, column, out = argv
        plot(Path(panel), agency_key, quantity, column, Path(out))
        return
    with tempfile.TemporaryDirectory() as folder:
        panel = build_panel(Path(folder))
        plot(panel, "平潭综合实验区", "new_received", "total",
             ROOT / "examples" / "pingtan_new_received.png")


if __name__ == "__main__":
    main(sys.argv[1:])
