"""Each normaliser step on its own."""

import random

from govreport_lark.normalise import (
    BLANK,
    Line,
    _traditional_chars,
    drop_page_junk,
    fold_width,
    has_traditional,
    join_cjk_spaces,
    mark_blank_cells,
    normalise,
    strip_markdown,
    to_simplified,
)
from govreport_lark.read.source import SourceText


def L(*texts):
    return [Line(t, i + 1) for i, t in enumerate(texts)]


def texts(lines):
    return [line.text for line in lines]


def test_markdown_headings_emphasis_and_pipe_tables():
    out = strip_markdown(L("## 一、总体情况", "**（一）公开**正文", "| 规章 | 0 | 1 |", "|---|---|---|"))
    assert texts(out) == ["一、总体情况", "（一）公开正文", "规章\t0\t1"]
    assert [line.src for line in out] == [1, 2, 3]


def test_blank_cells_keep_their_column():
    out = mark_blank_cells(L("一、本年新收\t\t26\t\t\t26\t", "\t\t\t0\t0", "\t数据1\t总计"))
    assert texts(out) == [f"一、本年新收 {BLANK} 26 {BLANK} {BLANK} 26", f"{BLANK} {BLANK} {BLANK} 0 0",
                          "数据① 总计"]


def test_traditional_with_taiwan_phrasing():
    out = to_simplified(L("規範性檔案", "人民民眾", "屬於行政查詢事項", "行政許可"))
    assert texts(out) == ["规范性文件", "人民群众", "属于行政查询事项", "行政许可"]


def test_simplified_text_is_not_converted():
    lines = L("政府信息公开工作年度报告")
    assert to_simplified(lines) is lines


def test_width_folding():
    assert texts(fold_width(L("第二十条第（一）项：１２３　"))) == ["第二十条第(一)项:123 "]


def test_page_number_junk():
    out = drop_page_junk(L("- 3 -", "第3页", "第 2 页 共 5 页", "3", "规章 0 0 0"))
    assert texts(out) == ["3", "规章 0 0 0"]


def test_spaces_inside_cjk_words_but_not_between_cells():
    out = join_cjk_spaces(L("结 果 维 持", "政府 信息公开", "(一) 予以公开 0 0 1", "- -"))
    assert texts(out) == ["结果维持", "政府信息公开", "(一)予以公开 0 0 1", "- -"]


def test_pipeline_keeps_the_line_map():
    source = SourceText(lines=["标题", "", "- 2 -", "| 规章 | 0 |"], format="md")
    out = normalise(source)
    # A pipe row stays a grid row (its cells tab-separated) for the columns to be read.
    assert [(line.text, line.src, line.grid) for line in out] == [
        ("标题", 1, None), ("", 2, None), ("规章\t0", 4, 1)]


def test_has_traditional_equals_the_character_set():
    """The GB 2312 shortcut answers exactly as looking every character up would: text with
    symbols and rare characters outside GB 2312, and the traditional characters GB 2312
    itself holds (後, 摺)."""
    traditional = _traditional_chars()
    rng = random.Random(5)
    pool = [chr(c) for c in range(0x20, 0x3000)] + [chr(c) for c in range(0x4E00, 0xA000)]
    texts = ["", "规范性文件 ∅ 12", "之後", "規範性檔案", "〇三五", "体版<"]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 30))) for _ in range(2000)]
    for text in texts:
        assert has_traditional(text) == (not traditional.isdisjoint(text)), text
    assert has_traditional("之後") and not has_traditional("之后 ∅")
