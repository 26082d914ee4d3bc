"""The HTML reader's shortcuts give what they stand in for: the page's index is built once
where no chrome was dropped, and both <meta> fields come from one walk.  Each is held to
the reader without the shortcut on generated pages (every document structure and title
style, bare and inside the site chrome of corpus/real/015.html) and on 015.html."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from generate import STRUCTURES, TITLE_STYLES, make_report, render

ROOT = Path(__file__).resolve().parent.parent


def _in_chrome(page: bytes) -> bytes:
    import lxml.html

    shell = lxml.html.fromstring((ROOT / "corpus" / "real" / "015.html").read_bytes())
    article = shell.get_element_by_id("zoomcon")
    for child in list(article):
        article.remove(child)
    article.text = None
    for child in list(lxml.html.fromstring(page).find(".//body")):
        article.append(child)
    return lxml.html.tostring(shell, encoding="utf-8", doctype="<!DOCTYPE html>")


def _pages() -> list[bytes]:
    pages = []
    for i, structure in enumerate(STRUCTURES):
        for j, title in enumerate(TITLE_STYLES):
            report = make_report(i * 10 + j, ("2019", "2021")[j % 2], structure=structure,
                                 title_style=title, blanks="anywhere" if j % 3 == 0 else False)
            pages.append(render(report, "html").encode())
    pages += [_in_chrome(page) for page in pages[::4]]
    pages.append((ROOT / "corpus" / "real" / "015.html").read_bytes())
    pages.append(b"<html><head><meta name='PubDate' content=''><meta name=pubdate content=x>"
                 b"<META NAME=' ArticleTitle ' content='T'></head><body><p>a</p></body></html>")
    return pages


@pytest.fixture(scope="module")
def html():
    pytest.importorskip("lxml")
    from govreport_lark.read import html

    return html


def test_index_kept_when_no_chrome_is_dropped(html, monkeypatch):
    pages = _pages()
    fast = [dataclasses.asdict(html.read_html(page)) for page in pages]
    drop = html._drop_chrome

    def always_rebuild(body):
        drop(body)
        return None  # read_html builds the index of what is left, as it always did

    monkeypatch.setattr(html, "_drop_chrome", always_rebuild)
    slow = [dataclasses.asdict(html.read_html(page)) for page in pages]
    assert fast == slow
    assert any(page["grids"] for page in fast)


def test_meta_fields_in_one_walk(html):
    from govreport_lark.read.html_tree import parse

    def one(page, name):  # the search per field it replaces
        for i in list(page.named("meta"))[:200]:
            if str(page.attrs[i].get("name") or "").strip().lower() == name:
                return html.clean_text(str(page.attrs[i].get("content") or "")) or None
        return None

    for page in _pages():
        page = parse(html.decode_html(page))
        assert html._meta(page, "articletitle", "pubdate") == [
            one(page, "articletitle"), one(page, "pubdate")]
    page = parse(_pages()[-1].decode())
    assert html._meta(page, "articletitle", "pubdate") == ["T", None]
