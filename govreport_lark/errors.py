"""Errors that end a run for one input: the file cannot be read as an annual report."""

from __future__ import annotations

# What a person can do about each stable code.  A message that names no remedy of its own
# gets this one appended, so every refusal says what to do next (one line on the CLI).
ADVICE: dict[str, str] = {
    "EMPTY_INPUT": "check that the file was saved or downloaded completely",
    "UNREADABLE": "check the path and the file's permissions",
    "TOO_LARGE": "raise the limit with --max-bytes if this really is one report",
    "BINARY_INPUT": "give a .txt, .md, .html, .pdf or .docx report",
    "UNDECODABLE": "re-save it as UTF-8",
    "NOT_A_REPORT": "check that this is the report itself (not a list page or a cover letter) "
    "and that its headings 一、 to 六、 are text, not images",
    "UNKNOWN_FORMAT": "give a .txt, .md, .html, .pdf or .docx file",
    "MISSING_EXTRA": "install the extras: pip install 'govreport-lark[all]'",
    "DECOMPRESSION_BOMB": "the file is damaged or hostile; open it in Word and save it again, "
    "or export the report as PDF",
    "UNREADABLE_DOCX": "open it in Word and save it again as .docx",
    "UNREADABLE_PDF": "open it in a PDF viewer and save or print it to a new PDF",
    "ENCRYPTED_PDF": "save an unencrypted copy: open it with its password and print or save it "
    "to a new PDF",
    "NO_TEXT_LAYER": "run OCR first (e.g. ocrmypdf) and parse its output",
    "TOO_MANY_PAGES": "raise max_pages if this really is one annual report",
}

# Words with which a message already tells the reader what to do.
_REMEDIES = ("re-save", "resave", "raise ", "check ", "run ", "give ", "save ", "pip install",
             "repair", "install", "open it", "rerun", "export")  # fmt: skip


def with_advice(code: str, message: str) -> str:
    """``message``, with the code's advice appended unless it already names a remedy."""
    advice = ADVICE.get(code)
    lowered = message.lower()
    if advice is None or advice.lower() in lowered or any(r in lowered for r in _REMEDIES):
        return message
    return f"{message.rstrip(' .;')}; {advice}"


class InputError(Exception):
    """An input that gets no parse at all: unreadable, undecodable, not a report.

    ``code`` is stable (upper snake case) and ``exit_code`` is what the CLI returns.
    ``message`` is one line that says what is wrong and what to do about it.
    """

    def __init__(self, code: str, message: str, *, path: str | None = None, exit_code: int = 2):
        self.code = code
        # One line whatever a library put in an exception text quoted into the message.
        self.message = with_advice(code, " ".join(str(message).split()))
        self.path = path
        self.exit_code = exit_code
        super().__init__(self.message)

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.message}"
