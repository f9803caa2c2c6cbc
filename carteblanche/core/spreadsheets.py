"""CSV files the platform writes, opened by agents in a spreadsheet: no cell may run as a formula.

A text a resident or an agent typed (« =HYPERLINK(…) », « +33… », « @SUM(…) ») would be read by Excel or LibreOffice
as a formula when the file is opened (CSV injection). Every cell goes through ``safe_cell``: a text that starts
with ``= + - @``, a tab or a carriage return gets a leading apostrophe, shown by no spreadsheet; plain numbers
(« -3 », « +2,5 ») stay numbers.
"""

import csv
import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(stream, **kwargs) -> _SafeWriter:
    """``csv.writer`` whose every cell is made safe to open in a spreadsheet."""
    return _SafeWriter(stream, **kwargs)
