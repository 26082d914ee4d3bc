"""Every grammar builds as LALR with strict=True: no terminal collisions, no conflicts."""

import pytest
from lark import Lark

from govreport_lark.spec import grammar_dir, grammar_path

GRAMMARS = ["document", "active_disclosure", "applications", "review_litigation", "cells",
            "columns", "narrative"]


@pytest.mark.parametrize("name", GRAMMARS)
def test_grammar_builds_strict(name):
    Lark.open(str(grammar_path(name)), parser="lalr", lexer="contextual", strict=True)


def test_every_grammar_file_is_tested():
    files = {p.stem for p in grammar_dir().glob("*.lark")} - {"common"}
    assert files == set(GRAMMARS)


def test_rows_follow_the_template_order():
    from govreport_lark.pipeline import parse_text

    text = (
        "某局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
        "二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1\n"
        "一、本年新收政府信息公开申请数量 2 0 0 0 0 0 2\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
    )
    report = parse_text(text)
    [skip] = [d for d in report.diagnostics if d.code == "LABEL_OUT_OF_ORDER"]
    assert "一、本年新收政府信息公开申请数量" in skip.message and skip.line == 4
    # Its values are not silently given to the row before.
    assert report.applications.rows["carried_over"][0].value is None
    assert report.applications.rows["new_received"][0].value is None


@pytest.mark.parametrize("name", GRAMMARS)
def test_a_run_does_not_search_for_collisions(name, monkeypatch):
    """Without ``strict`` Lark only logs terminal collisions, yet with interegular installed its
    search took 25 s and 500 MB on the first run after an install; the strict builds above
    rule collisions out."""
    import interegular

    from govreport_lark import spec

    def refuse(*args, **kwargs):
        raise AssertionError("a collision search at run time")

    monkeypatch.setattr(interegular.Comparator, "from_regexes", refuse)
    monkeypatch.setattr(spec, "_cache_file", lambda name: False)  # built from the grammar's text
    assert spec.load(name).parse is not None


@pytest.mark.parametrize(("grammar", "error"), [
    ('start: A\nA: /a*/\n', "zero-width"),
    ('start: A\nA: /(?P<x>a)(?P<x>b)/\n', "Cannot compile token A"),
])
def test_a_run_keeps_larks_other_terminal_checks(grammar, error):
    from lark.exceptions import LexError

    from govreport_lark.spec import PLUGINS

    with pytest.raises(LexError, match=error):
        Lark(grammar, parser="lalr", lexer="contextual", _plugins=PLUGINS)
