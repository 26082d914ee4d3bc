"""``govreport check --html``: one self-contained page with the three tables as the template
lays them out and every cell a finding touches highlighted, checked in a real browser
(headless Chromium) where one is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_check import SEED, missing_row, narrative, planted_total

from govreport_lark.output.cli import main

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome",
                                           "google-chrome-stable") if shutil.which(n)), None)
needs_browser = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (apt-get install chromium; .ci/run does)")

TOTAL = "总计"
NEW, OLD = "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"


class Cells(HTMLParser):
    """Every table cell with its attributes and text; the ids of the page; <body>'s attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict] = []
        self.ids: set[str] = set()
        self.body: dict = {}
        self._cell: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "body":
            self.body = a
        if tag == "td":
            self._cell = a | {"text": ""}
            self.cells.append(self._cell)

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


def parse(html: str) -> Cells:
    p = Cells()
    p.feed(html)
    return p


def label(cell: dict) -> str:
    return cell["title"].split("\n")[0]


def highlighted(page: Cells) -> dict[str, str]:
    out = {}
    for c in page.cells:
        sev = re.search(r"sev-(\w+)", c.get("class", ""))
        if sev:
            out[label(c)] = sev.group(1)
    return out


@pytest.fixture()
def pages(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    both = planted_total().replace("2023 年全局共收到政府信息依申请公开申请 1 件。",
                                   "共收到政府信息公开申请57件。")
    Path("both.txt").write_text(both, encoding="utf-8")
    Path("missing.txt").write_text(missing_row(), encoding="utf-8")
    Path("narrative.txt").write_text(narrative(), encoding="utf-8")
    Path("empty.txt").write_bytes(b"")
    blank = SEED.read_text(encoding="utf-8").replace("规章\t0\t0\t0", "规章\t\t0\t0")
    Path("blank.txt").write_text(blank, encoding="utf-8")
    return tmp_path


def write(capsys, out: str, *files: str) -> str:
    code = main(["check", *files, "--html", out])
    err = capsys.readouterr().err
    assert code in (0, 1, 2) and "internal error" not in err, err
    return Path(out).read_text(encoding="utf-8")


# --- without a browser --------------------------------------------------------------------


def test_the_page_needs_nothing_from_outside(pages, capsys):
    html = write(capsys, "out.html", "both.txt", "missing.txt")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert not re.search(r"https?://|<link\b|<[^>]*\ssrc=|@import|url\(", html)
    assert "<style>" in html and "<script>" in html


def test_the_tables_are_laid_out_as_the_template(pages, capsys):
    page = parse(write(capsys, "out.html", "blank.txt"))
    html = Path("out.html").read_text(encoding="utf-8")
    for words in ("第二十条第（一）项", "本年制发件数", "申请人情况", "法人或其他组织", "商业企业",
                  "（三）不予公开", "4.保护第三方合法权益", "（七）总计", "四、结转下年度继续办理",
                  "未经复议直接起诉", "复议后起诉", "结果维持", "尚未审结"):
        assert words in html, words
    assert 'colspan="7">申请人情况' in html and 'colspan="10">行政诉讼' in html
    by_label = {label(c): c for c in page.cells}
    assert by_label["第二十条第（一）项 规章·本年制发件数"]["text"] == ""  # blank stays blank
    assert by_label["第二十条第（一）项 规章·本年废止件数"]["text"] == "0"  # 0 is 0
    assert len([c for c in page.cells if c["id"].startswith("r1-s3-")]) == 25 * 7
    assert len([c for c in page.cells if c["id"].startswith("r1-s4-")]) == 15
    assert by_label[f"{NEW}·{TOTAL}"]["data-line"] == "53"  # each cell's input line


def test_cells_a_finding_touches_point_to_it(pages, capsys):
    page = parse(write(capsys, "out.html", "both.txt"))
    marked = [c for c in page.cells if "aria-describedby" in c]
    assert marked and all(c["tabindex"] == "0" for c in marked)
    for c in marked:
        assert set(c["aria-describedby"].split()) <= page.ids
    html = Path("out.html").read_text(encoding="utf-8")
    findings = html[html.index('<ol class="findings">'):]
    by_label = {label(c): c["id"] for c in page.cells}
    for named in (f"{NEW}·{TOTAL}", f"（七）总计·{TOTAL}"):  # the cells the findings name
        assert f'href="#{by_label[named]}" data-cell="{by_label[named]}"' in findings
    for ref in {i for c in marked for i in c["aria-describedby"].split()}:
        assert f'<li id="{ref}"' in findings


def test_inferred_cells_are_marked(pages, capsys):
    page = parse(write(capsys, "out.html", "missing.txt"))
    inferred = [c for c in page.cells if c.get("data-provenance") == "inferred"]
    assert {label(c) for c in inferred} == {
        f"（三）不予公开 4.保护第三方合法权益·{col}" for col in
        ("自然人", "法人或其他组织·商业企业", "法人或其他组织·科研机构",
         "法人或其他组织·社会公益组织", "法人或其他组织·法律服务机构", "法人或其他组织·其他", TOTAL)}
    assert all("inferred" in c["class"] and "sev-warning" in c["class"] for c in inferred)
    assert all(c["text"] == "0" for c in inferred)


def test_the_narrative_names_the_cell_it_contradicts(pages, capsys):
    html = write(capsys, "out.html", "narrative.txt")
    quote = html[html.index("<blockquote"):html.index("</blockquote>")]
    assert "“共收到政府信息公开申请57件。”" in quote and "（第13行）" in quote
    assert f"{NEW}·{TOTAL}</a> = 1" in quote


def test_several_files_give_one_page_with_an_index(pages, capsys):
    html = write(capsys, "out.html", "both.txt", "missing.txt", "empty.txt")
    nav = html[html.index("<nav"):html.index("</nav>")]
    assert [m for m in re.findall(r'href="#(r\d)"', nav)] == ["r1", "r2", "r3"]
    assert "1 条错误" in nav and "EMPTY_INPUT" in nav
    assert "共检查 3 个文件：有错误 1 个，仅有警告 1 个，无问题 0 个，无法检查 1 个。" in nav
    assert 'id="r3"' in html and "文件为空" in html


def test_the_page_in_english(pages, capsys):
    main(["check", "--lang", "en", "both.txt", "--html", "en.html"])
    capsys.readouterr()
    html = Path("en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Findings" in html
    assert "（三）不予公开" in html  # the template's own labels stay


# --- in a browser -------------------------------------------------------------------------


def browser(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", *args], capture_output=True, text=True,
                          timeout=180)


@needs_browser
def test_highlighted_cells_in_a_browser(pages, capsys):
    """The page after its script ran: the cells of the planted total and of the relations
    it breaks are red, each described by its findings; a screenshot is taken."""
    write(capsys, "out.html", "both.txt")
    url = (pages / "out.html").as_uri()
    run = browser("--dump-dom", url)
    assert run.returncode == 0, run.stderr[-2000:]
    page = parse(run.stdout)
    assert page.body.get("data-ready") == "1"  # the script ran
    columns = ("自然人", "法人或其他组织·商业企业", "法人或其他组织·科研机构",
               "法人或其他组织·社会公益组织", "法人或其他组织·法律服务机构",
               "法人或其他组织·其他", TOTAL)
    expected = {f"{NEW}·{c}": "error" for c in columns}  # 总计 ≠ the six columns
    expected |= {f"{row}·{TOTAL}": "error" for row in
                 (OLD, "（七）总计", "四、结转下年度继续办理")}  # 一+二 ≠ （七）+四
    assert highlighted(page) == expected
    findings = {c["id"]: int(c["data-findings"]) for c in page.cells if "data-findings" in c}
    new_total = next(c for c in page.cells if label(c) == f"{NEW}·{TOTAL}")
    assert findings[new_total["id"]] == 2  # the failed sums and the narrative
    shot = pages / "check.png"
    run = browser(f"--screenshot={shot}", "--window-size=1280,2000", url)
    assert run.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a page drawn, not a blank one


@needs_browser
def test_a_click_or_enter_shows_the_findings_of_a_cell(pages, capsys):
    """A script appended to the page clicks the 总计 cell of 一、本年新收, then presses Escape,
    then Enter on it: the findings open, close and open again."""
    html = write(capsys, "out.html", "both.txt")
    probe = """<script>
var cell=[].find.call(document.querySelectorAll('td[aria-describedby]'),function(td){
  return td.getAttribute('data-label')==='LABEL';});
var pop=document.getElementById('pop'),states=[];
cell.click();states.push(pop.hidden?'hidden':document.getElementById('pop-body').textContent);
document.dispatchEvent(new KeyboardEvent('keydown',{key:'Escape',bubbles:true}));
states.push(pop.hidden?'hidden':'open');
cell.dispatchEvent(new KeyboardEvent('keydown',{key:'Enter',bubbles:true}));
states.push(pop.hidden?'hidden':'open');
document.body.setAttribute('data-probe',states.join('|'));
</script></body>""".replace("LABEL", f"{NEW}·{TOTAL}")
    Path("probe.html").write_text(html.replace("</body>", probe), encoding="utf-8")
    run = browser("--dump-dom", (pages / "probe.html").as_uri())
    states = parse(run.stdout).body["data-probe"].split("|")
    assert states[1:] == ["hidden", "open"]
    assert states[0].startswith(f"{NEW}·{TOTAL}")
    assert "数字之间的勾稽关系不成立" in states[0] and "正文所述数字与表格不符" in states[0]
