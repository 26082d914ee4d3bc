"""``govreport check --html``: one self-contained page (inline CSS and script, nothing
fetched) a clerk opens in a browser: each report's three tables laid out as the template
prints them, every cell a finding touches coloured by severity and described by it (hover,
click, keyboard), inferred cells marked, the narrative's disagreements with the cell they
contradict, and the list of findings linking to cells and back."""

from __future__ import annotations

from html import escape
from typing import Any

from govreport_lark.model import APPLICANT_COLUMNS, REVIEW_FIELDS, REVIEW_GROUPS
from govreport_lark.output.check import Checked, refusal_reason, render_summary, summary_line
from govreport_lark.output.dictionary import entries
from govreport_lark.output.emit import report_to_dict
from govreport_lark.output.findings import SEVERITIES, Finding, fmt_value
from govreport_lark.output.labels import cell_label, labels, section_label
from govreport_lark.output.messages import Catalogue

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
 margin:1.5rem auto;max-width:78rem;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.3rem;border-bottom:2px solid #333;padding-bottom:.2rem;margin-top:2.5rem}
h3{font-size:1.1rem;margin-top:1.6rem}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:.5rem 0}
dl.meta dt{font-weight:bold}dl.meta dd{margin:0}
table.t{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
table.t th,table.t td{border:1px solid #777;padding:.2rem .45rem}
table.t th{background:#f2f2f2;font-weight:normal}
table.t th.stub{text-align:left}table.t th.note{max-width:14rem;font-size:.8rem}table.t td{text-align:right;min-width:2.6rem}
td.sev-error{background:#fbd0d0;outline:2px solid #c62828;outline-offset:-2px}
td.sev-warning{background:#ffe8a8;outline:2px solid #d49b00;outline-offset:-2px}
td.sev-info{background:#d6e6fb;outline:2px solid #4a7fc1;outline-offset:-2px}
td.inferred{font-style:italic;color:#5a3d8a;border-style:dashed}
td.inferred::after{content:"\\2217";font-size:.75em;vertical-align:super;color:#5a3d8a}
td[tabindex]:focus{box-shadow:0 0 0 3px #111 inset}
td.flash{animation:flash 1.2s}@keyframes flash{0%{background:#111;color:#fff}}
.legend span{display:inline-block;padding:0 .5rem;margin-right:.5rem;border:1px solid #777}
.legend .sev-error{background:#fbd0d0}.legend .sev-warning{background:#ffe8a8}
.legend .sev-info{background:#d6e6fb}.legend .inferred{font-style:italic;border-style:dashed}
ol.findings li{margin:.4rem 0}ol.findings li.sev-error{border-left:4px solid #c62828;padding-left:.5rem}
ol.findings li.sev-warning{border-left:4px solid #d49b00;padding-left:.5rem}
ol.findings li.sev-info{border-left:4px solid #4a7fc1;padding-left:.5rem}
ol.findings ul{margin:.2rem 0}.code{color:#666;font-family:monospace;font-size:.85em}
.where{color:#555}.cells a{margin-right:.5rem}
.badge{display:inline-block;border-radius:.6rem;padding:0 .5rem;font-size:.8em;color:#fff}
.badge.error{background:#c62828}.badge.warning{background:#a87800}.badge.info{background:#4a7fc1}
.badge.refused,.badge.clean{background:#555}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.6rem;border-left:3px solid #bbb}
#pop{position:fixed;z-index:9;max-width:32rem;background:#fff;border:2px solid #333;padding:.6rem .8rem;
 box-shadow:0 4px 14px rgba(0,0,0,.3);font-size:.9rem}
#pop[hidden]{display:none}#pop button{float:right}
"""

_JS = """
(function(){
  var pop=document.getElementById('pop'),body=document.getElementById('pop-body'),opener=null;
  function close(){pop.hidden=true;if(opener){opener.focus();opener=null;}}
  function open(cell){
    var ids=(cell.getAttribute('aria-describedby')||'').split(/\\s+/).filter(Boolean);
    if(!ids.length)return;
    body.innerHTML='';
    var head=document.createElement('p');head.textContent=cell.getAttribute('data-label')||'';
    head.style.fontWeight='bold';body.appendChild(head);
    ids.forEach(function(id){
      var src=document.getElementById(id);if(!src)return;
      var p=document.createElement('p');p.className=src.className;
      var a=document.createElement('a');a.href='#'+id;a.textContent=src.getAttribute('data-text');
      p.appendChild(a);body.appendChild(p);
    });
    var r=cell.getBoundingClientRect();
    pop.style.left=Math.min(r.left,window.innerWidth-420)+'px';
    pop.style.top=Math.min(r.bottom+4,window.innerHeight-160)+'px';
    pop.hidden=false;opener=cell;pop.querySelector('button').focus();
  }
  document.addEventListener('click',function(e){
    var cell=e.target.closest('td[aria-describedby]');
    if(cell){open(cell);return;}
    if(!pop.contains(e.target))pop.hidden=true;
    var link=e.target.closest('a[data-cell]');
    if(link){var t=document.getElementById(link.getAttribute('data-cell'));
      if(t){t.classList.remove('flash');void t.offsetWidth;t.classList.add('flash');t.focus();}}
  });
  document.addEventListener('keydown',function(e){
    if(e.key==='Escape'&&!pop.hidden){close();return;}
    var cell=e.target.closest&&e.target.closest('td[aria-describedby]');
    if(cell&&(e.key==='Enter'||e.key===' ')){e.preventDefault();open(cell);}
  });
  pop.querySelector('button').addEventListener('click',close);
  document.querySelectorAll('td[aria-describedby]').forEach(function(td){
    td.setAttribute('data-findings',td.getAttribute('aria-describedby').split(/\\s+/).length);
  });
  document.body.setAttribute('data-ready','1');
})();
"""

_ASCII = {"二": "s2", "三": "s3", "四": "s4"}


class _Page:
    """One report's part of the page: ids of its cells and findings, prefixed by its number."""

    def __init__(self, n: int, checked: Checked, cat: Catalogue) -> None:
        self.n, self.c, self.cat = n, checked, cat
        self.report = checked.report
        self.template = self.report.template if self.report else None
        self.data = report_to_dict(self.report, provenance=True) if self.report else {}
        self.finding_id = {id(f): f"r{n}-f{i}" for i, f in enumerate(checked.findings, 1)}
        self.cell_ids: dict[tuple[str, str, str], str] = {}
        self.by_cell: dict[tuple[str, str, str], list[Finding]] = {}
        for f in checked.findings:
            for cell in f.cells:
                self.by_cell.setdefault(cell, []).append(f)

    def cell_id(self, key: tuple[str, str, str]) -> str:
        if key not in self.cell_ids:
            self.cell_ids[key] = f"r{self.n}-{_ASCII.get(key[0], 's')}-c{len(self.cell_ids) + 1}"
        return self.cell_ids[key]

    # --- one cell ------------------------------------------------------------------------

    def td(self, section: str, row: str, column: str, value: Any, prov: dict | None,
           colspan: int = 1) -> str:
        key = (section, row, column)
        found = self.by_cell.get(key, [])
        classes, attrs = [], [f'id="{self.cell_id(key)}"']
        label = cell_label(section, row, column, self.template)
        title = [label]
        prov = prov or {}
        if prov.get("line"):
            title.append(self.c_where(prov))
            attrs.append(f'data-line="{prov["line"]}"')
        if prov.get("page"):
            attrs.append(f'data-page="{prov["page"]}"')
        if prov.get("inferred"):
            classes.append("inferred")
            attrs.append('data-provenance="inferred"')
            title.append(self.cat("html.inferred"))
        elif prov.get("raw") is not None and value is None:
            title.append(self.cat("html.printed_as", raw=prov["raw"]))
        if found:
            worst = min(SEVERITIES.index(f.severity) for f in found)
            classes.append(f"sev-{SEVERITIES[worst]}")
            ids = " ".join(dict.fromkeys(self.finding_id[id(f)] for f in found))
            attrs += ['tabindex="0"', f'aria-describedby="{ids}"', f'data-label="{escape(label)}"']
            title += [self.cat("html.cell_finding", severity=self.cat("severity." + f.severity),
                               title=f.title) for f in found]
        if colspan > 1:
            attrs.append(f'colspan="{colspan}"')
        if classes:
            attrs.append(f'class="{" ".join(classes)}"')
        attrs.append(f'title="{escape(chr(10).join(title))}"')
        shown = "" if value is None else fmt_value(value)
        return f"<td {' '.join(attrs)}>{escape(shown)}</td>"

    def c_where(self, prov: dict) -> str:
        if prov.get("page"):
            return self.cat("where.page", line=prov["line"], page=prov["page"]).strip(" ()（）")
        return self.cat("where.line", line=prov["line"]).strip(" ()（）")

    # --- the tables ------------------------------------------------------------------------

    def active(self) -> str:
        tables = self.data.get("active_disclosure", {})
        prov = self.data.get("provenance", {}).get("active_disclosure", {})
        names = labels(self.template)
        width = max((len(cols) for item in tables.values()
                     for cols in _rows(item).values()), default=3)
        out = [f'<table class="t" aria-label="{escape(section_label("二", self.template))}">']
        for item, rows in tables.items():
            item_rows = _rows(rows)
            columns = next(iter(item_rows.values()), {})
            out.append(f'<tr><th colspan="{width + 1}" class="stub">'
                       f'{escape(names.items.get(item, item))}</th></tr>')
            heads = [f"<th>{escape(self.cat('html.info_content'))}</th>"]
            for i, column in enumerate(columns):
                span = width - len(columns) + 1 if i == len(columns) - 1 else 1
                text = names.columns.get(("二", column), column)
                heads.append(f'<th colspan="{span}">{escape(text)}</th>' if span > 1
                             else f"<th>{escape(text)}</th>")
            out.append("<tr>" + "".join(heads) + "</tr>")
            for row, cells in item_rows.items():
                extra = ("二", row) not in names.rows
                label = row if extra else names.rows[("二", row)]
                tds = []
                for i, (column, value) in enumerate(cells.items()):
                    span = width - len(cells) + 1 if i == len(cells) - 1 else 1
                    tds.append(self.td("二", row, column, value,
                                       prov.get(item, {}).get(row, {}).get(column), span))
                mark = f' <small>（{escape(self.cat("html.extra"))}）</small>' if extra else ""
                out.append(f'<tr><th class="stub" scope="row">{escape(label)}{mark}</th>'
                           + "".join(tds) + "</tr>")
        out.append("</table>")
        return "\n".join(out)

    def applications(self) -> str:
        app = self.data.get("applications", {})
        rows: dict[str, list] = app.get("rows", {})
        prov = self.data.get("provenance", {}).get("applications", {})
        names = labels(self.template)
        cols = [names.columns[("三", c)] for c in APPLICANT_COLUMNS]
        org = cols[1].split("·")[0]
        applicants = _applicants_heading()
        out = [f'<table class="t" aria-label="{escape(section_label("三", self.template))}">',
               f'<tr><th rowspan="3" colspan="3" class="note">{escape(self.cat("html.balance_note"))}</th>'
               f'<th colspan="7">{escape(applicants)}</th></tr>',
               f'<tr><th rowspan="2">{escape(cols[0])}</th><th colspan="5">{escape(org)}</th>'
               f'<th rowspan="2">{escape(cols[6])}</th></tr>',
               "<tr>" + "".join(f"<th>{escape(c.split('·')[-1])}</th>" for c in cols[1:6])
               + "</tr>"]
        keys = list(rows)
        outer = ("new_received", "carried_over", "carried_forward")
        block = [k for k in keys if k not in outer]
        groups: dict[str, int] = {}
        for k in block:
            if "." in k:
                groups[k.split(".")[0]] = groups.get(k.split(".")[0], 0) + 1
        granted = names.rows.get(("三", "granted"), "")
        head, _, _ = granted.partition("（一）")
        for k in keys:
            label = names.rows.get(("三", k), k)
            stub = ""
            if k in outer:
                stub = f'<th colspan="3" class="stub" scope="row">{escape(label)}</th>'
            else:
                if k == block[0]:
                    stub += f'<th rowspan="{len(block)}" class="stub">{escape(head)}</th>'
                if "." in k:
                    group = k.split(".")[0]
                    group_label, _, own = label.partition(" ")
                    if k == next(b for b in block if b.startswith(group + ".")):
                        stub += (f'<th rowspan="{groups[group]}" class="stub">'
                                 f'{escape(group_label)}</th>')
                    stub += f'<th class="stub" scope="row">{escape(own)}</th>'
                else:
                    own = label[len(head):] if label.startswith(head) else label
                    own = own.removeprefix(head.split("、")[0] + "、")
                    stub += f'<th colspan="2" class="stub" scope="row">{escape(own)}</th>'
            values = rows[k]
            provs = prov.get(k, [None] * 7)
            out.append("<tr>" + stub + "".join(
                self.td("三", k, c, v, p) for c, v, p in zip(APPLICANT_COLUMNS, values, provs))
                + "</tr>")
        for label, values in app.get("extra", {}).items():
            provs = prov.get(label, [None] * 7)
            out.append(f'<tr><th colspan="3" class="stub" scope="row">{escape(label)} '
                       f'<small>（{escape(self.cat("html.extra"))}）</small></th>'
                       + "".join(self.td("三", label, c, v, p)
                                 for c, v, p in zip(APPLICANT_COLUMNS, values, provs)) + "</tr>")
        out.append("</table>")
        return "\n".join(out)

    def review(self) -> str:
        groups = self.data.get("review_litigation", {})
        prov = self.data.get("provenance", {}).get("review_litigation", {})
        names = labels(self.template)
        glabel = {g: names.rows[("四", g)] for g in REVIEW_GROUPS}
        flabel = [names.columns[("四", f)] for f in REVIEW_FIELDS]
        review, direct, after = (glabel[g] for g in REVIEW_GROUPS)
        litigation = direct.split("·")[0]
        out = [f'<table class="t" aria-label="{escape(section_label("四", self.template))}">',
               f'<tr><th colspan="5">{escape(review)}</th>'
               f'<th colspan="10">{escape(litigation)}</th></tr>',
               "<tr>" + "".join(f'<th rowspan="2">{escape(f)}</th>' for f in flabel)
               + f'<th colspan="5">{escape(direct.split("·")[-1])}</th>'
               f'<th colspan="5">{escape(after.split("·")[-1])}</th></tr>',
               "<tr>" + "".join(f"<th>{escape(f)}</th>" for f in flabel * 2) + "</tr>",
               "<tr>" + "".join(
                   self.td("四", g, f, groups.get(g, {}).get(f), prov.get(g, {}).get(f))
                   for g in REVIEW_GROUPS for f in REVIEW_FIELDS) + "</tr>",
               "</table>"]
        return "\n".join(out)

    # --- findings --------------------------------------------------------------------------

    def cell_links(self, cells: list[tuple[str, str, str]]) -> str:
        links = [f'<a href="#{self.cell_id(c)}" data-cell="{self.cell_id(c)}">'
                 f'{escape(cell_label(*c, self.template))}</a>' for c in cells
                 if c in self.cell_ids]
        if not links:
            return ""
        return (f' <span class="cells">{escape(self.cat("html.to_cell"))} '
                + "".join(links) + "</span>")

    def findings(self) -> str:
        if not self.c.findings:
            return f"<p>{escape(self.cat('html.no_findings'))}</p>"
        out = ['<ol class="findings">']
        for f in self.c.findings:
            fid = self.finding_id[id(f)]
            sev = self.cat(f"severity.{f.severity}")
            fault = self.cat("html.fault", fault=self.cat("fault." + f.responsibility)) \
                if f.responsibility else ""
            where = self.cat("html.finding", section=f.section_label or self.cat("section.none"),
                             title=f.title)
            plain = f"{sev}{fault} {where}"
            if len(f.items) == 1 and f.items[0].text:
                plain = self.cat("html.finding_one", finding=plain, item=f.items[0].text)
            out.append(f'<li id="{fid}" class="sev-{f.severity}" data-text="{escape(plain)}">'
                       f'<strong>{escape(sev)}{escape(fault)}</strong> {escape(where)} '
                       f'<span class="code">{escape(f.code)}</span>')
            items = [i for i in f.items if i.text or i.where or i.cells]
            if items:
                out.append("<ul>")
                for i in items:
                    out.append(f"<li>{escape(i.text)}<span class=\"where\">{escape(i.where)}</span>"
                               f"{self.cell_links(_named(i))}</li>")
                out.append("</ul>")
            out.append("</li>")
        out.append("</ol>")
        return "\n".join(out)

    def narrative(self) -> str:
        found = [f for f in self.c.findings if f.code == "NARRATIVE_MISMATCH"]
        if not found:
            return ""
        out = [f'<h3>{escape(self.cat("html.narrative"))}</h3>']
        for f in found:
            for i in f.items:
                p = i.diagnostic.params
                cells = escape(self.cat("cells.sep")).join(
                    f'<a href="#{self.cell_id((c["section"], r, c["column"]))}" '
                    f'data-cell="{self.cell_id((c["section"], r, c["column"]))}">'
                    f'{escape(cell_label(c["section"], c["row"], c["column"], self.template))}'
                    f"</a> = {escape(fmt_value(c['value']))}"
                    for c in p.get("cells", []) for r in [_first_row(c["row"], self.report)])
                out.append(f'<blockquote class="sev-{f.severity}">“{escape(p.get("sentence", ""))}”'
                           f' <span class="where">{escape(i.where)}</span><br>'
                           f'{escape(self.cat("html.narrative_item", number=p.get("number", "")))}'
                           f' {cells} '
                           f'<a href="#{self.finding_id[id(f)]}">[{escape(f.code)}]</a></blockquote>')
        return "\n".join(out)

    # --- the report ------------------------------------------------------------------------

    def html(self) -> str:
        c, cat = self.c, self.cat
        anchor = f'id="r{self.n}"'
        if self.report is None:
            return (f"<section {anchor}><h2>{escape(c.path)}</h2><p>"
                    f'<span class="badge refused">{escape(c.refused_code or "")}</span> '
                    f"{escape(refusal_reason(cat, c))}</p><p><small>{escape(c.refused_message or '')}"
                    "</small></p></section>")
        r = self.report
        # The tables first: their cells get ids the findings link to.
        tables = [(s, body) for s, body in (("二", self.active()), ("三", self.applications()),
                                            ("四", self.review()))]
        meta = [(cat("html.agency"), r.agency or "?"), (cat("html.year"), r.year or "?"),
                (cat("html.template"), cat("html.template_value", template=r.template or "?")),
                (cat("html.file"), c.path)]
        summary = summary_line(c, cat, verbose=True).strip()
        parts = [f"<section {anchor}>", f"<h2>{escape(r.title or c.path)}</h2>",
                 '<dl class="meta">' + "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>"
                                               for k, v in meta) + "</dl>",
                 f"<p>{escape(summary)}</p>"]
        for section, body in tables:
            parts += [f"<h3>{escape(section_label(section, r.template))}</h3>", body]
        parts.append(self.narrative())
        parts += [f'<h3>{escape(cat("html.findings"))}</h3>', self.findings(), "</section>"]
        return "\n".join(parts)


def _named(item) -> list[tuple[str, str, str]]:
    """The cell a place names (a failed sum's total), else every cell it touches."""
    d = item.diagnostic
    own = (d.section, d.row, d.column)
    return [own] if d.code != "NARRATIVE_MISMATCH" and own in item.cells else item.cells


def _rows(item: dict) -> dict[str, dict]:
    """An item's rows, its extra rows after them; amount_raw is the printed text, no cell."""
    rows = {k: {c: v for c, v in cells.items() if c != "amount_raw"}
            for k, cells in item.items() if k != "extra"}
    for label, cells in item.get("extra", {}).items():
        rows[label] = {c: v for c, v in cells.items() if c != "amount_raw"}
    return rows


def _first_row(row: str, report) -> str:
    """The cell a sentence names, for a link: the first of rows summed."""
    first = row.split("+")[0]
    if first.endswith(".*") and report is not None:
        return next((r for r in report.applications.rows if r.startswith(first[:-1])), first)
    return first


def _applicants_heading() -> str:
    item = next(e.item for e in entries() if e.key == "applications.columns[0]")
    return item.split(" ")[-1]


def render_html(results: list[Checked], lang: str = "zh") -> str:
    cat = Catalogue(lang)
    pages = [_Page(n, c, cat) for n, c in enumerate(results, 1)]
    bodies = [p.html() for p in pages]
    index = ""
    if len(results) > 1:
        entries = []
        for p in pages:
            c = p.c
            if c.report is None:
                badges = f'<span class="badge refused">{escape(c.refused_code or "")}</span>'
            else:
                badges = " ".join(
                    f'<span class="badge {s}">{escape(cat.count("count." + s, c.count(s)))}</span>'
                    for s in SEVERITIES if c.count(s)) or \
                    f'<span class="badge clean">{escape(cat("html.no_findings"))}</span>'
            name = (c.report.title if c.report and c.report.title else c.path)
            entries.append(f'<li><a href="#r{p.n}">{escape(name)}</a> '
                           f'<small>{escape(c.path)}</small> {badges}</li>')
        index = (f'<nav aria-label="{escape(cat("html.index"))}"><h2>{escape(cat("html.index"))}'
                 f"</h2><p>{escape(render_summary(results, cat).strip())}</p><ol>"
                 + "".join(entries) + "</ol></nav>")
    legend = (f'<p class="legend">{escape(cat("html.legend"))}'
              + "".join(f'<span class="sev-{s}">{escape(cat("severity." + s))}</span>'
                        for s in SEVERITIES)
              + f'<span class="inferred">{escape(cat("html.legend.inferred"))}</span> '
              f'{escape(cat("html.legend.blank"))}</p><p>{escape(cat("html.hint"))}</p>')
    lang_attr = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{lang_attr}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(cat('html.title'))}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"<h1>{escape(cat('html.title'))}</h1>\n{legend}\n{index}\n" + "\n".join(bodies)
            + f'\n<div id="pop" role="dialog" aria-modal="false" hidden><button type="button">'
            f'{escape(cat("html.close"))}</button><div id="pop-body"></div></div>\n'
            f"<script>{_JS}</script>\n</body>\n</html>\n")
