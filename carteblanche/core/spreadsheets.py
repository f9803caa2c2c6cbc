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


def ods(sheets: dict[str, tuple[list, list]]) -> bytes:
    """An OpenDocument spreadsheet, one sheet per ``{title: (headers, rows)}``: numbers and dates as typed cells (a
    spreadsheet sorts and sums them), shown in French. A formula cannot be injected: every cell is a value."""
    import datetime
    import io
    from decimal import Decimal

    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    from . import french

    document = OpenDocumentSpreadsheet()
    for title, (headers, rows) in sheets.items():
        table = Table(name=title[:31])
        for row in [headers, *rows]:
            line = TableRow()
            for value in row:
                if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                elif isinstance(value, datetime.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                else:
                    cell = TableCell(valuetype="string")
                cell.addElement(P(text=french.value(value)))
                line.addElement(cell)
            table.addElement(line)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
