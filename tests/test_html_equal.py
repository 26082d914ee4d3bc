"""The HTML reader on lxml's own tree gives what the reader on BeautifulSoup gave
(tests/reference/html_bs4.py), field by field: lines, source lines, pages, grids, the
<title>, the two <meta> fields, and the error of a page it refuses.

On every page of corpus/ (and of ../shared/corpus/real where that is there); the generated
reports as web pages, bare and inside the site chrome of corpus/real/015.html as
benchmarks/bench.py builds them; the pages of test_readers.py, test_hostile_readers.py and
test_html_reuse.py; pages built here where lxml's tree and its parser's events part (deep
nesting, what follows </html>, a second byte-order mark, white space the tree keeps and
BeautifulSoup collapsed); and random pages.  Both ways the reader builds a page, from
lxml's tree and from the parser's events, are held to the reference on all of them.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from generate import REORDERS, STRUCTURES, STUB_STYLES, TITLE_STYLES, make_report, render
from reference import html_bs4

from govreport_lark.read import html, html_tree

pytest.importorskip("lxml")
pytest.importorskip("bs4")  # the reference reads with it
# BeautifulSoup warns of a page that opens with <?xml; the reader on lxml says nothing.
pytestmark = pytest.mark.filterwarnings("ignore:It looks like you're using an HTML parser")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus" / "real"
FIELDS = [f.name for f in dataclasses.fields(html.SourceText)]
REPORT = "<p>一、总体情况</p><p>三、收到和处理政府信息公开申请情况</p>"
TABLE = "<table><tr><td>自然人</td><td>1</td></tr></table>"


def _by_events(data: bytes) -> html.SourceText:
    return html._read(html_tree.parse(html.decode_html(data), events=True))


def _outcome(read, data: bytes) -> dict:
    try:
        return dataclasses.asdict(read(data))
    except Exception as exc:  # the reference's error is part of what must be equal
        return {"error": (type(exc).__name__, getattr(exc, "code", None), str(exc))}


def _differences(pages: list[tuple[str, bytes]]) -> list[str]:
    found = []
    for name, data in pages:
        want = _outcome(html_bs4.read_html, data)
        for how, read in (("tree", html.read_html), ("events", _by_events)):
            got = _outcome(read, data)
            for key in sorted(set(want) | set(got)):
                if want.get(key) != got.get(key):
                    found.append(f"{name} ({how}): {key}: {str(want.get(key))[:300]!r} "
                                 f"!= {str(got.get(key))[:300]!r}")
    return found


def _assert_equal(pages: list[tuple[str, bytes]]) -> list[dict]:
    assert pages
    differences = _differences(pages)
    assert not differences, f"{len(differences)} differences:\n" + "\n".join(differences[:20])
    return [_outcome(html.read_html, data) for _, data in pages]


# ------------------------------------------------------------------------ the pages


def _in_chrome(page: bytes) -> bytes:
    """The page's body in the place of 015.html's article (div#zoomcon), as bench.py does."""
    import lxml.html

    shell = lxml.html.fromstring((ROOT / "corpus" / "real" / "015.html").read_bytes())
    article = shell.get_element_by_id("zoomcon")
    for child in list(article):
        article.remove(child)
    article.text = None
    for child in list(lxml.html.fromstring(page).find(".//body")):
        article.append(child)
    return lxml.html.tostring(shell, encoding="utf-8", doctype="<!DOCTYPE html>")


def _generated() -> list[tuple[str, bytes]]:
    reports = [make_report(seed, template, zero_share=0.0)  # bench.py's set
               for seed in range(12) for template in ("2019", "2021")]
    for i, structure in enumerate(STRUCTURES):
        for j, title in enumerate(TITLE_STYLES):
            for k, (template, blanks) in enumerate(
                    (("2019", False), ("2021", True), ("2021", "anywhere"))):
                reports.append(make_report(100 + 30 * i + 3 * j + k, template,
                                           structure=structure, title_style=title,
                                           blanks=blanks))
    reports += [make_report(300 + i, "2021", stubs=stubs) for i, stubs in enumerate(STUB_STYLES)]
    reports += [make_report(310 + i, ("2019", "2021")[i % 2], reorder=(reorder,),
                            unmatched_header=i % 2 == 0) for i, reorder in enumerate(REORDERS)]
    return [(f"r{r.seed}_{r.template}_{n}.html", render(r, "html", seed=n % 3).encode())
            for n, r in enumerate(reports)]


def _reader_test_pages() -> list[tuple[str, bytes]]:
    from test_readers import GBK_PAGE, PAGE

    pages = [("PAGE", PAGE.encode()), ("015", (ROOT / "corpus/real/015.html").read_bytes())]
    for charset in ("gbk", "GB2312", "gb18030"):
        pages.append((f"GBK {charset}", GBK_PAGE.format(charset=charset, agency="王祎镇")
                      .encode("gbk")))
    page = "<html><body><p>一、总体情况</p></body></html>"
    pages += [
        ("bom", b"\xef\xbb\xbf" + page.encode()),
        ("utf-16 bom", b"\xff\xfe" + page.encode("utf-16-le")),
        ("undeclared gbk", page.encode("gbk")),
        ("stale gbk label", ('<meta charset="gbk"><p>沭阳县发展和改革局</p>').encode()),
        ("undecodable", b"<html><body><p>\xff\xff\x80</p></body></html>"),
        ("empty", b""),
        ("absurd spans", b"<table><tr><td rowspan='2147483647' colspan='99999999'>a</td>"
                         b"<td>1</td></tr><tr><td colspan='x'>b</td><td rowspan='-3'></td>"
                         b"<td>2</td></tr></table>"),
        ("nested tables", "<table><tr><td>外层</td><td>前<table><tr><td>内1</td><td></td>"
                          "<td>9</td></tr><tr><td>内2</td></tr></table>后</td></tr><tr><td>下"
                          "</td><td>1</td></tr></table>".encode()),
        ("form", ('<html><body><form id="form1"><div class="menu">首页</div><div id="c">'
                  + REPORT + "<div>" * 3000 + "<p>深</p>" + "</div>" * 3000
                  + "</div></form></body></html>").encode()),
    ]
    return pages


def _hostile() -> list[tuple[str, bytes]]:
    from test_hostile_readers import _SHAPES, _page
    from test_html_reuse import _pages

    pages = [(f"{kind} {n}", _page(kind, n).encode()) for kind in _SHAPES for n in (2, 40, 300)]
    pages.append(("10,000 divs after a table", _page("divs after a table", 10_000).encode()))
    pages += [(f"test_html_reuse {i}", page) for i, page in enumerate(_pages())]
    return pages


def _deep(n: int) -> str:
    return (f"<html><body><h1>某县报告</h1>{TABLE}" + "<div>\n" * n + REPORT
            + "</div>" * n + "<p>后</p></body></html>")


EDGES = {
    # libxml2's tree stops 256 elements deep; its events do not.
    **{f"{n} divs": _deep(n) for n in (250, 252, 253, 254, 255, 256, 300)},
    "tables 30 deep": REPORT + "<table><tr><td>" * 30 + "自然人" + "</td></tr></table>" * 30,
    # After </html> the tree ends, the events open a second root.
    "script after html": f"<html><body>{REPORT}{TABLE}</body></html><script>x</script>",
    "body after html": f"<html><head><title>t</title></html><body>{REPORT}</body>",
    "text after html": f"<html><body>{REPORT}</body></html>尾",
    "meta after html": f"<html><body>{REPORT}</body></html><meta name=PubDate content=2024>",
    "comment after html": f"<html><body>{REPORT}</body></html>\n<!-- c -->\n</body></HTML >\n",
    "html in a script": f"<html><body><script>w('</html>')</script>{REPORT}</body></html>",
    "comment ended early": f"<html><body>{REPORT}</body></html><!-- a --!> <p>b</p> -->",
    "spaces then text after html": f"<html><body>{REPORT}</body></html>" + " " * 40 + "尾",
    # A second byte-order mark: BeautifulSoup took it off, the line pairing kept it.
    "bom in text": "\ufeff\ufeff<html>\n<body>\n" + REPORT + "\n</body></html>",
    # White space: BeautifulSoup made a run of it one space or line break.
    "carriage returns": "<p><span>甲</span> &#13; <span>乙</span></p><p>a&#13;b &#13;</p>"
                        "<pre><span>丙</span> &#13; <span>丁</span></pre>",
    "form feeds": "<p><b>a</b>\x0c<b>b</b></p><textarea>\n\n</textarea><p>c\n<i>d</i></p>",
    # Text that is no reading text, and elements named like it.
    "containers": "<html><head><script class=title>某县报告</script></head><body>"
                  "<h1><ruby>报<rt>bao</rt><rp>(</rp>告</ruby></h1><template><p>模板</p>"
                  "</template>" + REPORT + TABLE + "</body></html>",
    "template title": "<html><body><template class='title'>某县报告<b>x</b></template>"
                      "<div>" + REPORT + TABLE + "</div></body></html>",
    "style title": "<html><body><div><style class=page-title>报告 a{}</style></div><div>"
                   + REPORT + "</div></body></html>",
    "valueless": "<html><head><meta name content><meta name=pubdate content></head><body>"
                 "<div class id>一、</div><table><tr><td colspan rowspan>a</td><td>b</td></tr>"
                 "</table></body></html>",
    "no body": "<html><head><title> 标题 </title><meta name=ArticleTitle content=' 题 '>"
               "</head></html>",
    "fragment": "一、总体情况<br>三、收到和处理政府信息公开申请情况<table><tr><td>自然人</td></tr>",
    "frameset": "<frameset><frame src=a></frameset><noframes>x</noframes>",
    "comments and pi": f"<?xml version='1.0'?><!-- a --><html><body><!--b-->{REPORT}<?pi x?>"
                       "尾</body></html>",
    "nul": "<p>a\x00b</p><p>&#0;</p>",
    "chrome holds report": f"<html><body><div class=nav>{REPORT}{TABLE}"
                           "<div class=footer>页脚</div></div></body></html>",
    "title before body": "<html><body><div class=main><h2>导航</h2><div class='art-title'>"
                         "某县2023年政府信息公开工作年度报告<span class=share>分享</span></div>"
                         f"<div id=zoom>{REPORT}{TABLE}</div></div></body></html>",
    "rows in parts": "<table><caption>表<b>一</b></caption><thead><tr><th>a</th></tr></thead>"
                     "<tbody><tr><td rowspan=3>b</td><td>1</td></tr><tr><td>2</td></tr></tbody>"
                     "<tfoot><tr><td colspan=2>c</td></tr></tfoot><tr><td>d\te</td></tr>"
                     "</table>",
}


_TAGS = ("p", "div", "span", "table", "tr", "td", "th", "tbody", "thead", "caption", "br",
         "script", "style", "rt", "rp", "ruby", "template", "title", "meta", "head", "body",
         "html", "nav", "form", "h1", "h2", "pre", "textarea", "li", "ul", "select", "option",
         "svg", "b", "font", "o:p", "a", "img", "hr", "section", "noscript", "iframe", "header",
         "center", "col", "colgroup", "tfoot", "frameset", "input", "button", "strong", "xmp")
_WORDS = ("一、总体情况", "收到和处理", "依申请公开政府信息", "申请人情况", "行政复议", "自然人",
          "本年新收", "予以公开", "第二十条", "信息内容", "报告", "某县2023年政府信息公开工作年度报告",
          "abc", "12", "0", " ", "\n", "\r\n", "\t", "\u3000", "&nbsp;", "&amp;", "&lt;", "\u200b",
          "\xa0", "  x  ", "商业\n企业", "a\nb", "&#12354;", "&#x0;", "&bogus;", "<", ">", "&",
          "\x0c", "\u00ad", "&#13;", " &#13; ")
_CLASSES = ("nav", "menu", "header", "footer", "main", "title", "article-title", "search",
            "research", "share-bar", "content", "zoom", "MsoNormal", "top-bar", "TITLE",
            "x nav", "  ", "")


def _random_page(rng: random.Random) -> str:
    def attrs() -> str:
        out = []
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            key = rng.choice(("class", "id", "colspan", "rowspan", "name", "content", "CLASS"))
            if key in ("colspan", "rowspan"):
                value = rng.choice(("2", "3", "0", "-1", "x", " 2 ", "99999", "", "1_0", "２"))
            elif key in ("class", "id", "CLASS"):
                value = rng.choice(_CLASSES)
            elif key == "name":
                value = rng.choice(("ArticleTitle", "PubDate", " articletitle ", "keywords"))
            else:
                value = rng.choice(("2023-01-01", "某县报告", "", " x "))
            out.append(f" {key}" if rng.random() < 0.1 else f' {key}="{value}"')
        return "".join(out)

    out, open_ = [], []
    if rng.random() < 0.4:
        out.append(rng.choice(("<!DOCTYPE html>", '<?xml version="1.0"?>',
                               '<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN">')))
    for _ in range(rng.randint(5, 120)):
        r = rng.random()
        if r < 0.35:
            tag = rng.choice(_TAGS)
            out.append(f"<{tag}{attrs()}>")
            open_.append(tag)
        elif r < 0.55 and open_:
            out.append(f"</{open_.pop() if rng.random() < 0.8 else rng.choice(_TAGS)}>")
        elif r < 0.9:
            out.append(rng.choice(_WORDS))
        elif r < 0.94:
            out.append(rng.choice(("<!-- c -->", "<!--一、-->", "<![CDATA[x]]>", "<?pi x?>")))
        else:
            out.append(rng.choice(("<td>", "<tr><td>", "</td><td>", "</tr><tr>",
                                   "<table><tr><td>")))
    if rng.random() < 0.7:
        out += [f"</{tag}>" for tag in reversed(open_)]
    if rng.random() < 0.2:
        out.append(rng.choice(("</html>\n", "</html><!-- x -->", "</html><p>尾</p>")))
    return "".join(out)


# ------------------------------------------------------------------------ the tests


def test_corpus_pages():
    paths = sorted(p for p in (ROOT / "corpus").rglob("*") if p.suffix in (".html", ".htm"))
    if SHARED.is_dir():
        paths += sorted(p for p in SHARED.iterdir() if p.suffix in (".html", ".htm"))
    out = _assert_equal([(str(p), p.read_bytes()) for p in paths])
    assert any(row["grids"].count(None) < len(row["grids"]) for row in out)


def test_generated_pages():
    out = _assert_equal(_generated())
    assert all(len(row["lines"]) > 30 and any(row["grids"]) for row in out)


def test_generated_pages_in_015s_chrome():
    out = _assert_equal([(name, _in_chrome(page)) for name, page in _generated()[::2]])
    assert all(len(row["lines"]) > 30 and any(row["grids"]) for row in out)


def test_pages_of_the_reader_tests():
    out = _assert_equal(_reader_test_pages())
    assert {"error", "lines"} <= {key for row in out for key in row}


def test_hostile_pages():
    _assert_equal(_hostile())


def test_pages_where_the_tree_and_the_events_part():
    _assert_equal([(name, page.encode()) for name, page in EDGES.items()])


def test_random_pages():
    rng = random.Random(20240601)
    _assert_equal([(f"random {i}", _random_page(rng).encode()) for i in range(1500)])


def test_cut_and_spliced_pages():
    """Real pages broken as saved pages break: cut short, pieces lost, repeated, moved."""
    rng = random.Random(4242)
    bases = [(ROOT / "corpus/real/015.html").read_text(encoding="utf-8")]
    bases += [page.decode() for _, page in _generated()[:4]]
    pages = []
    for i in range(80):
        text = rng.choice(bases)
        for _ in range(rng.randint(1, 6)):
            a = rng.randrange(len(text))
            b = min(len(text), a + rng.randint(0, 3000))
            op = rng.random()
            if op < 0.3:
                text = text[:a] + text[b:]
            elif op < 0.6:
                text = text[:b] + text[a:b] + text[b:]
            elif op < 0.8:
                at = rng.randrange(len(text))
                text = text[:at] + text[a:b] + text[at:]
            else:
                text = text[:a]
        pages.append((f"spliced {i}", text.encode()))
    _assert_equal(pages)


def test_each_page_is_built_the_cheap_way_where_that_holds_it():
    def built_from_tree(text: str) -> bool:
        return not isinstance(html_tree.parse(text).attrs[1], dict)  # the events give dicts

    assert built_from_tree((ROOT / "corpus/real/015.html").read_text(encoding="utf-8"))
    # _deep(n) nests the report n + 3 elements deep: 255 is as deep as the tree is trusted.
    assert built_from_tree(EDGES["comment after html"]) and built_from_tree(EDGES["252 divs"])
    for name in ("253 divs", "300 divs", "script after html", "html in a script", "bom in text",
                 "comment ended early"):
        assert not built_from_tree(EDGES[name]), name


def test_what_follows_html_is_judged_in_linear_time():
    from conftest import cpu_seconds

    for tail in (" " * 200_000 + "x", "<!-- a -->\n" * 20_000 + "x", "</html \n" * 20_000 + "x"):
        page = f"<html><body>{REPORT}</body></html>{tail}"
        assert cpu_seconds(lambda page=page: html_tree._after_root(page)) < 0.5
        assert html_tree._after_root(page)
    assert not html_tree._after_root(f"<html><body>{REPORT}</body></html>" + "\n " * 100_000)
