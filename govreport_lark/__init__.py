"""govreport-lark: Chinese government information disclosure annual reports
(政府信息公开工作年度报告) parsed into typed, validated data."""

from .emit import report_to_dict, to_json
from .errors import InputError
from .model import Diagnostic, Report
from .parse import parse_bytes, parse_file, parse_text

__all__ = [
    "Diagnostic",
    "InputError",
    "Report",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "report_to_dict",
    "to_json",
]
__version__ = "0.1.0"
