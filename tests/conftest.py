import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/generate.py


def feeds_of(data: bytes, path: str):
    """(section key, Feed) of every table section of one report: the text a table grammar
    reads, as the pipeline makes it."""
    from govreport_lark.locate.feed import section_feed
    from govreport_lark.locate.outline import Doc
    from govreport_lark.locate.sections import find_sections
    from govreport_lark.normalise import normalise
    from govreport_lark.read import detect_format, read_source

    doc = Doc(normalise(read_source(data, path=path, fmt=detect_format(data, path))))
    for section in find_sections(doc):
        if section.key in ("二", "三", "四"):
            yield section.key, section_feed(doc, section)


def corpus_feeds(suffixes: tuple[str, ...] = (".txt", ".md", ".html")):
    """``feeds_of`` every bundled text report."""
    paths = sorted((CORPUS / "seeds").glob("*.txt"))
    paths += sorted(p for p in (CORPUS / "real").iterdir() if p.suffix in suffixes)
    for path in paths:
        yield from feeds_of(path.read_bytes(), str(path))


def generated_feeds():
    """``feeds_of`` generated reports with non-zero numbers in every layout, and in the
    shapes the corpus lacks: blank cells anywhere, tables in an appendix or behind
    captions, applicant columns in another order, PDF-to-text habits."""
    from generate import (
        BLANK_LAYOUTS,
        GRID_LAYOUTS,
        LAYOUT_FORMAT,
        LAYOUTS,
        TEXT_LAYOUTS,
        make_report,
        render,
    )

    shapes = [(layout, {"zero_share": 0.0}) for layout in LAYOUTS]
    shapes += [(layout, {"blanks": "anywhere"}) for layout in sorted(BLANK_LAYOUTS)]
    shapes += [(layout, {"structure": s}) for layout in LAYOUTS for s in ("appendix", "captions")]
    shapes += [(layout, {"reorder": ("applicants",)}) for layout in GRID_LAYOUTS]
    shapes += [(layout, {"pdf_habits": True}) for layout in TEXT_LAYOUTS]
    for seed, (layout, options) in enumerate(shapes):
        report = make_report(seed, "2021" if seed % 2 else "2019", **options)
        path = f"generated.{LAYOUT_FORMAT[layout]}"
        yield from feeds_of(render(report, layout, seed=seed).encode(), path)


def cpu_seconds(call: Callable[[], object], repeat: int = 1) -> float:
    """The best CPU time of this process over ``repeat`` calls: other load on the machine
    does not count, nor a garbage collection, which in a long test session costs by the
    whole heap."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        started = time.process_time()
        try:
            call()
        finally:
            best = min(best, time.process_time() - started)
            gc.enable()
    return best


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip archive (a .docx's container) holding ``members``, deflated."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()
