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


UNREADABLE = "Ce fichier n'est pas un CSV lisible : enregistrez-le au format CSV depuis le tableur."


def read_csv(raw: bytes) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV a spreadsheet saved (UTF-8, with or without its mark, or Windows-1252; « ; » or « , »), each
    with its line number in the file and its cells by column name in lower case, stripped. Empty lines are skipped.
    ``ValueError`` with a French message when the file cannot be read."""
    import io

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ValueError(UNREADABLE) from None
    if "\x00" in text:
        raise ValueError(UNREADABLE)
    if not text.strip():
        raise ValueError("Le fichier est vide.")
    sample = text[:2000]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        raise ValueError(UNREADABLE) from None
    header = [name.strip().lower() for name in rows[0]]
    found = []
    for number, row in enumerate(rows[1:], start=2):
        if any(cell.strip() for cell in row):
            found.append((number, {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}))
    return found


def read_day(text: str):
    """A day as a spreadsheet writes it: 31/12/2026, 2026-12-31 or 31-12-2026 (a time after it is ignored).
    ``ValueError`` otherwise."""
    import datetime

    text = text.strip()[:10]
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)
