"""govreport-lark: Chinese government information disclosure annual reports
(政府信息公开工作年度报告) parsed into typed, validated data."""

from .api import iter_parse, to_dataframe
from .emit import report_to_dict, to_json
from .errors import InputError
from .model import Diagnostic, Report
from .parse import parse_bytes, parse_file, parse_text

__all__ = [
    "Diagnostic",
    "InputError",
    "Report",
    "iter_parse",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "report_to_dict",
    "to_dataframe",
    "to_json",
]
__version__ = "0.1.0"
