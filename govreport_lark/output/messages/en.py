"""``govreport check`` in English (``--lang en``); the keys of ``zh.py``, plus ``.one``
forms for counts.  Labels stay the template's own Chinese words."""

MESSAGES: dict[str, str] = {
    # --- across years (--previous) ---------------------------------------------------------
    "cross.head": 'Across years: {n}',
    "cross.none": 'Across years: carry-overs and counts in force agree between consecutive years.',
    "cross.CROSS_YEAR_MISMATCH": "  warning (the report's fault) the {year} report ({source}) prints {cell} as {value}, but the {previous_year} report ({previous_source}) prints {previous_cell} as {previous_value}, which makes {expected}  [CROSS_YEAR_MISMATCH]",
    "cross.DUPLICATE_REPORT": "  warning {source} and {other} both claim to be {agency}'s report for {year}; neither is compared across years  [DUPLICATE_REPORT]",
    "cross.IDENTITY_MISSING": '  info {source} names no agency or year; it is not compared across years  [IDENTITY_MISSING]',
    'severity.error': 'error',
    'severity.warning': 'warning',
    'severity.info': 'info',
    "row.whole": "the whole table",
    "section.none": "whole report",
    'fault.report': "the report's",
    'fault.parser': "this tool's",
    'finding.head': '{severity} ({fault} fault) {section}: {title}{places}{where}  [{code}]',
    'finding.head.nofault': '{severity} {section}: {title}{places}{where}  [{code}]',
    'finding.places.one': ' ({n} place)',
    'finding.places.other': ' ({n} places)',
    'finding.item': '    - {text}{where}',
    'where.line': ' (line {line})',
    'where.page': ' (page {page}, line {line})',
    'where.page_only': ' (page {page})',
    'file.head': '{path}: {agency} {year} report ({template} template)',
    'file.head.unknown': 'unknown',
    'file.refused': '{path}: cannot be checked: {reason} [{code}]',
    'file.clean': '  No findings.',
    'file.info_hidden.one': '{n} more info finding, shown with -v',
    'file.info_hidden.other': '{n} more info findings, shown with -v',
    'count.error.one': '{n} error',
    'count.error.other': '{n} errors',
    'count.warning.one': '{n} warning',
    'count.warning.other': '{n} warnings',
    'count.info.one': '{n} info finding',
    'count.info.other': '{n} info findings',
    'count.place.one': '{n} place in all',
    'count.place.other': '{n} places in all',
    'list.sep': ', ',
    'summary.file': '  Summary: {counts}.',
    'summary.all':
        '{files} checked: {errors} with errors, {warnings} with warnings only, '
        '{clean} clean, {refused} refused.',
    'count.file.one': '{n} file',
    'count.file.other': '{n} files',
    'values.sep': ' ',
    "cells.sep": "; or ",
    'refused.EMPTY_INPUT': 'the file is empty',
    'refused.TOO_LARGE': 'the file is too large',
    'refused.BINARY_INPUT': 'not a text, web page, PDF or Word file',
    'refused.UNDECODABLE': 'its text encoding cannot be told; re-save it as UTF-8',
    'refused.NOT_A_REPORT': 'not a government information disclosure annual report',
    'refused.NO_TEXT_LAYER': 'the PDF has no text layer (a scan); run OCR first',
    'refused.ENCRYPTED_PDF': 'the PDF is password-protected; remove the password first',
    'refused.UNREADABLE_PDF': 'the PDF is damaged or incomplete; download or save it again',
    'refused.UNREADABLE_DOCX':
        'the Word file is damaged or incomplete; download it again or save it '
        'as .docx',
    'refused.DECOMPRESSION_BOMB': 'the file inflates to far too much; not read',
    'refused.NOT_A_FILE': 'not a regular file',
    'refused.UNREADABLE': 'the file cannot be read',
    'refused.UNKNOWN_FORMAT': 'the file format cannot be told',
    'refused.INTERNAL_ERROR':
        'an internal error of this tool; rerun with --debug and report it with '
        'the file',
    'SUM_MISMATCH.title': "a relation of the template's arithmetic fails",
    'SUM_MISMATCH.item': '{cell}',
    'SUM_MISMATCH.placed': ' (some of these cells were printed run together and cut by the '
                           'arithmetic: the cut may be wrong, not the report)',
    'SUM_MISMATCH.row_total.title': '总计 differs from the sum of the six applicant columns',
    'SUM_MISMATCH.row_total.item':
        '{row}: 总计 prints {printed}, the six applicant columns sum to {sum}',
    'SUM_MISMATCH.balance.title': "一 + 二 differs from （七） + 四 (the column's own relation)",
    'SUM_MISMATCH.balance.item': 'column {column}: 一 + 二 = {left}, （七）总计 + 四 = {right}',
    'SUM_MISMATCH.outcomes.title': '（七）总计 differs from the sum of the outcome rows',
    'SUM_MISMATCH.outcomes.item': 'column {column}: （七）总计 prints {printed}, （一）–（六） sum to {sum}',
    'SUM_MISMATCH.group_total.title': '总计 differs from the sum of the results',
    'SUM_MISMATCH.group_total.item':
        '{row}: 总计 prints {printed}, 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = {sum}',
    'ROW_CELL_COUNT.title': 'a row prints another number of values than it has cells',
    'ROW_CELL_COUNT.item': '{cell}',
    'ROW_CELL_COUNT.inferred.title':
        'rows print fewer numbers than cells; the missing value was inferred '
        'from the arithmetic',
    'ROW_CELL_COUNT.inferred.item':
        '{cell}: {count} numbers printed for {cells} cells, inferred as {value}',
    'ROW_CELL_COUNT.blank.title':
        'rows print fewer numbers than cells; the missing cell is left blank',
    'ROW_CELL_COUNT.blank.item': '{cell}: {count} numbers printed for {cells} cells, left blank',
    'ROW_CELL_COUNT.spurious.title':
        'rows print more numbers than cells; the extra number was dropped',
    'ROW_CELL_COUNT.spurious.item': '{row}: {dropped} dropped',
    'ROW_CELL_COUNT.placements.title':
        'rows print one number too few; every placement gives the same values, '
        'so they were completed from the arithmetic',
    'ROW_CELL_COUNT.placements.item': '{row}: prints {printed} for {cells} cells',
    'ROW_CELL_COUNT.columns.title':
        "rows print another number of values; the only reading the columns' "
        'arithmetic allows was used',
    'ROW_CELL_COUNT.columns.item': '{row}: prints {printed} for {cells} cells',
    'ROW_UNRESOLVED.title':
        'which number belongs to which cell cannot be told; these rows are left'
        ' blank',
    'ROW_UNRESOLVED.item': '{row}: prints {printed} for {cells} cells',
    'DIGITS_RUN_TOGETHER.title': 'numbers printed run together were split by the arithmetic',
    'DIGITS_RUN_TOGETHER.item': '{row}: printed {printed}, split into {split}',
    'MISSING_ROW.title': 'the report does not print these rows',
    'MISSING_ROW.item': '{row}',
    'MISSING_ROW.inferred.title':
        'the report does not print these rows; their values were inferred from '
        "the columns' arithmetic",
    'MISSING_ROW.inferred.item': '{row}',
    'MISSING_ROW.blank.title': 'the report does not print these rows; their cells are blank',
    'MISSING_ROW.blank.item': '{row}',
    'MISSING_TABLE.title': 'the report does not print this table; its cells are blank',
    'MISSING_TABLE.item': '{item}',
    'SECTION_MISSING.title': 'this part was not found',
    'SECTION_MISSING.item': '',
    'SECTION_MISSING.table.title': 'this part was not found (neither its table nor its heading)',
    'SECTION_MISSING.table.item': '',
    'SECTION_MISSING.text.title': 'no heading of this part was found',
    'SECTION_MISSING.text.item': '',
    'EXTRA_ROW.title': 'rows the template does not have',
    'EXTRA_ROW.item': '{row}',
    'EXTRA_ROW.kept.title':
        'rows the template does not have; their numbers are kept under extra, '
        'in no template row',
    'EXTRA_ROW.kept.item': '{label}: {printed}',
    'EXTRA_ROW.unplaced.title':
        'rows the template does not have; their numbers do not fit the seven '
        'columns and went to no row',
    'EXTRA_ROW.unplaced.item': '{label} (after {after}): {printed}',
    'UNASSIGNED_NUMBER.title': 'numbers no cell took',
    'UNASSIGNED_NUMBER.item': '{number}',
    'COLUMNS_REORDERED.title':
        'the columns are printed in another order; each value was read under '
        'its own heading',
    'COLUMNS_REORDERED.item': '{row} header order: {order}',
    'COLUMNS_UNREADABLE.title':
        "the header's columns cannot be matched with the template's; the "
        "table's values are blank",
    'COLUMNS_UNREADABLE.item': '{order}',
    'NARRATIVE_MISMATCH.title': 'the text states a number the table does not hold',
    'NARRATIVE_MISMATCH.item': 'the text says {number} in “{sentence}”, but the table has {cells}',
    'NARRATIVE_MISMATCH.cell': '{cell} = {value}',
    'TITLE_MISSING.title': 'no title naming the agency and year was found',
    'TITLE_MISSING.item': '',
    'UNIT_UNREADABLE.title': 'an amount in a unit that cannot be read as 万元; left blank',
    'UNIT_UNREADABLE.item': '{cell}: printed {raw}',
    'TEMPLATE_MIXED.title': 'the two templates are mixed',
    'TEMPLATE_MIXED.item': '{row}',
    'TEMPLATE_MIXED.votes.title': "section 二's column labels mix both templates",
    'TEMPLATE_MIXED.votes.item': '{votes_2019} of 2019, {votes_2021} of 2021; read as {template}',
    'TEMPLATE_MIXED.sections.title': 'sections 二 and 三 follow different templates',
    'TEMPLATE_MIXED.sections.item':
        "二 follows {by_active}, 三's （六）其他处理 {by_applications}; read as "
        '{template}',
    'TEMPLATE_MIXED.item_of.title': 'an item the template does not have; its numbers were not used',
    'TEMPLATE_MIXED.item_of.item': '{item} (not in the {template} template): {printed}',
    'TEMPLATE_MIXED.row_of.title': 'a row of the other template; its numbers were not used',
    'TEMPLATE_MIXED.row_of.item': '{row}: {printed}',
    'HEADER_UNMATCHED.title':
        'the header names columns the template does not have; values read by '
        'their place',
    'HEADER_UNMATCHED.item': '',
    'CELLS_BEFORE_LABEL.title':
        "values printed apart from their label; matched by the template's row "
        'order',
    'CELLS_BEFORE_LABEL.item': '{row}',
    'LABEL_REJOINED.title': 'a label cut by a page break; its two parts read together as one row',
    'LABEL_REJOINED.item': '{row}',
    'TEMPLATE_FROM_YEAR.title': 'no label tells the template apart; assumed from the year',
    'TEMPLATE_FROM_YEAR.item': '',
    'TEMPLATE_YEAR_MISMATCH.title': 'the year does not fit the template printed',
    'TEMPLATE_YEAR_MISMATCH.item': '',
    'TABLE_PARSE_ERROR.title': "text out of the template's row order was skipped",
    'TABLE_PARSE_ERROR.item': '',
    'TABLE_PARSE_ERROR.unreadable.title': 'the table could not be read; its values are missing',
    'TABLE_PARSE_ERROR.unreadable.item': '',
    'LABEL_OUT_OF_ORDER.title':
        'a label stands where the row order does not allow it; the values after'
        ' it were not read as its row',
    'LABEL_OUT_OF_ORDER.item': '',
    'DIAGNOSTICS_CAPPED.title': 'too many findings of one kind; the first 50 are listed',
    'DIAGNOSTICS_CAPPED.item': '',
    'DUPLICATE_TABLE.title': 'an item printed more than once; one copy is used',
    'DUPLICATE_TABLE.item': '',
    'DUPLICATE_ROW.title': 'a row printed more than once; the first is used',
    'DUPLICATE_ROW.item': '{row}',
    'UNIT_MISMATCH.title': 'an amount of money where a count belongs; left blank',
    'UNIT_MISMATCH.item': '{cell}: printed {raw}',
    'VALUE_OUT_OF_RANGE.title': 'a number too large to be a count or an amount; left blank',
    'VALUE_OUT_OF_RANGE.item': '{cell}: printed {raw}',
    'VALUE_NOT_COUNT.title': 'a count that is not a whole number of zero or more',
    'VALUE_NOT_COUNT.item': '{cell}',
    'NEGATIVE_VALUE.title': 'a negative value',
    'NEGATIVE_VALUE.item': '{cell}',
    # --- the HTML page ---
    'html.title': 'Government information disclosure annual reports: check',
    'html.index': 'Files',
    'html.agency': 'Agency',
    'html.year': 'Year',
    'html.template': 'Template',
    'html.template_value': '{template} template',
    'html.file': 'File',
    'html.findings': 'Findings',
    'html.narrative': 'Where the text disagrees with the tables',
    'html.no_findings': 'No findings.',
    'html.info_content': '信息内容',
    'html.balance_note': '(per column: 一 + 二 = （七） + 四)',
    'html.legend': 'Legend:',
    'html.legend.inferred': 'inferred (not printed; from the arithmetic)',
    'html.legend.blank': 'A blank cell was left blank by the report; 0 is a printed 0.',
    'html.to_cell': 'Cells:',
    'html.close': 'Close',
    'html.cell_title': '{cell}',
    'html.inferred': 'inferred',
    'html.extra': 'rows the template does not have',
    'html.printed_as': 'printed: {raw}',
    'html.hint':
        'Click a coloured cell, or reach it with Tab, to read its findings; the links in the list of findings lead to their cells.',
    'html.fault': ' ({fault} fault)',
    'html.finding': '{section}: {title}',
    'html.finding_one': '{finding}: {item}',
    'html.cell_finding': '{severity}: {title}',
    'html.narrative_item': 'the text says {number}; the table has',
}
