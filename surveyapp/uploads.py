"""Uploaded spreadsheets read within bounds: size, rows, columns and time are checked while the file is read.

Both importers (the roster, the translation workbook) read their files through here, so one set of rules holds:

- The request body is capped by MAX_CONTENT_LENGTH (Werkzeug stops reading past it: 413).
- An XLSX file is a zip of XML. Its zip directory is checked before openpyxl opens it: number of members, sum
  of the uncompressed sizes, compression ratio (zipfile never inflates a member past its declared size). The
  XML is parsed by defusedxml (a dependency; openpyxl uses it when installed), which refuses entity tricks.
- Rows are streamed (openpyxl read-only mode, csv.reader) and the caps are checked on every row, so a file that
  is too long stops being read at the first row past the cap. Read-only openpyxl pads every row to the sheet's
  declared width and fills gaps up to its declared height; both come from the file, so the declared dimension
  is ignored and at most `max_columns` + 1 columns are read (one more, to refuse a wider sheet).
- A deadline bounds the wall time of reading and checking; past it the import stops with a 422.
- A cell that holds a formula is refused, naming its sheet, row and column (see `_xlsx_lines`).
- Each cap has its own message: too many rows says the row cap, too much data unpacked says how much; only a
  compression ratio no spreadsheet has (or a zip of hundreds of parts) is called what it looks like, a bomb.

Any other failure of the parsers on a damaged file becomes a 422 with a message, never a 500.
"""
import csv
import io
import itertools
import time
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from defusedxml import DefusedXmlException
from flask_babel import format_decimal, lazy_ngettext
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from surveyapp.errors import DomainError

DEFAULT_SECONDS = 10.0
XLSX_MAX_MEMBERS = 500
XLSX_MAX_UNCOMPRESSED = 25 * 1024 * 1024  # all members together
XLSX_MAX_RATIO = 100  # uncompressed / compressed, for members larger than the next figure
XLSX_RATIO_FROM = 1024 * 1024
CSV_SNIFF_BYTES = 16 * 1024
CSV_SNIFF_LINES = 20
CSV_ENCODINGS = ("utf-8", "cp1252")  # Excel writes UTF-8 (with a BOM: decoded by utf-8-sig) or Windows-1252
CSV_DELIMITERS = ",;\t"


class UploadRejected(DomainError):
    """The file cannot be read, or not within the limits; the message says why and where."""

    status_code = 422


@dataclass(frozen=True)
class Limits:
    max_rows: int  # data rows, the header not counted
    max_columns: int
    seconds: float = DEFAULT_SECONDS


class Deadline:
    """Raise UploadRejected once `seconds` have passed since it was made; checked once per row."""

    def __init__(self, seconds: float, clock=time.monotonic):
        self.seconds, self.clock = seconds, clock
        self.end = clock() + seconds

    def check(self) -> None:
        if self.clock() >= self.end:
            raise UploadRejected(_l("Reading the file took longer than %(seconds)s seconds, so nothing was "
                                    "imported. Please split it into smaller files.", seconds=format(self.seconds, "g")))


@dataclass
class Table:
    """The non-empty rows of one sheet as (row number in the file, cells as text); `sheet` is "" for CSV."""

    sheet: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    formulas: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, cached value) if read


def column_letter(index: int) -> str:
    """0 -> "A", as spreadsheets name columns (CSV files too: they are opened in spreadsheets)."""
    return get_column_letter(index + 1)


# XLSX ----------------------------------------------------------------------------------------------------


def read_xlsx(data: bytes, limits: Limits, sheet: str | None = None, deadline: Deadline | None = None,
              cached_formulas: bool = False) -> Table:
    """The sheet named `sheet` (else the first) of an XLSX file, within `limits`; UploadRejected otherwise.
    With `cached_formulas` (a form definition, never answers or contacts) a formula cell reads as its cached
    value and is listed in `Table.formulas` for the caller to report, instead of refusing the file."""
    deadline = deadline or Deadline(limits.seconds)
    check_archive(data, limits)
    # data_only=False: a formula cell reads as its formula (data type "f"), so it can be refused
    workbook = _open_xlsx(data, data_only=False)
    cached = _open_xlsx(data, data_only=True) if cached_formulas else None
    try:
        worksheet = workbook[sheet] if sheet in workbook.sheetnames else workbook.worksheets[0]
        table = Table(worksheet.title)
        if not hasattr(worksheet, "reset_dimensions"):  # a chart sheet first
            raise UploadRejected(_l("The first sheet of this workbook holds no table."))
        worksheet.reset_dimensions()  # the declared size comes from the file: never pad rows to it
        values = cached[worksheet.title] if cached else None
        if values is not None:
            values.reset_dimensions()
        _collect(table, _xlsx_lines(worksheet, limits.max_columns + 1, values, table), limits, deadline)
        return table
    except UploadRejected:
        raise
    except Exception as error:  # a damaged sheet fails only while it is read
        raise _unreadable(error) from None
    finally:
        workbook.close()
        if cached:
            cached.close()


def _open_xlsx(data: bytes, data_only: bool):
    try:
        with warnings.catch_warnings():  # openpyxl warns about unsupported extensions: not our reader's concern
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as error:  # openpyxl, zipfile and defusedxml raise many kinds of error for a damaged file
        raise _unreadable(error) from None


def _unreadable(error: BaseException) -> UploadRejected:
    for _depth in range(10):  # the cause chain openpyxl builds is short
        if error is None:
            break
        if isinstance(error, DefusedXmlException):
            return UploadRejected(_l("This workbook contains XML entity or DTD declarations, which spreadsheets "
                                     "do not need; it was not read."))
        error = error.__cause__ or error.__context__
    return UploadRejected(_l("This workbook could not be read; it may be damaged. Please save it again as an "
                             "Excel workbook (.xlsx)."))


def _xlsx_lines(worksheet, width: int, values=None, table: Table | None = None):
    """The rows as text; UploadRejected at the first cell that holds a formula.

    A formula is refused, not read: with data_only=True openpyxl gives its cached value, which openpyxl and
    many other tools never write (the cell reads as empty: a roster name "=1+1" became "") and which Excel and
    LibreOffice write as of the last recalculation, so what would be stored is a figure nobody typed. Someone
    who meant the text "=1+1" types it with an apostrophe in front (the spreadsheet then stores it as text).
    With `values` (the same sheet opened with data_only=True) a formula reads as its cached value instead, ""
    when none was written, and is listed in `table.formulas`.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cached_lines = values.iter_rows(min_col=1, max_col=width) if values is not None else None
        for line in worksheet.iter_rows(min_col=1, max_col=width):
            texts = [cell_text(cell.value) for cell in line]
            cached_line = next(cached_lines, ()) if cached_lines is not None else ()
            for index, cell in enumerate(line):
                if cell.data_type == "f" and cached_lines is None:
                    raise UploadRejected(_l(
                        "Sheet “%(sheet)s”, row %(row)s, column %(column)s holds a formula, not text: type the "
                        "text, or prefix it with an apostrophe.", sheet=worksheet.title, row=cell.row,
                        column=cell.column_letter))
                if cell.data_type == "f":
                    texts[index] = cell_text(cached_line[index].value) if index < len(cached_line) else ""
                    table.formulas.append((cell.row, cell.column_letter, texts[index]))
            yield texts


def check_archive(data: bytes, limits: Limits | None = None) -> None:
    """Refuse a non-zip, a zip bomb and a workbook too large to read, from the zip directory alone.

    Nothing is inflated here. The ratio is checked first: a member packed more than XLSX_MAX_RATIO times is
    no spreadsheet. A genuine workbook past XLSX_MAX_UNCOMPRESSED (300,000 rows come to about 3 MB packed, 30
    MB unpacked) gets a message saying so, with the row cap of the importer when `limits` is given.
    """
    damaged = UploadRejected(_l("This file is not an Excel workbook (.xlsx), or it is damaged. An older .xls "
                                "file must be saved as .xlsx first."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise damaged from None  # NotImplementedError: a damaged "version needed to extract" field
    bomb = UploadRejected(_l("This workbook unpacks to far more data than a spreadsheet of this size holds, so "
                             "it was not opened. Please save it again as an Excel workbook (.xlsx)."))
    if len(members) > XLSX_MAX_MEMBERS:
        raise bomb
    for member in members:
        if member.file_size > XLSX_RATIO_FROM and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1):
            raise bomb
    unpacked = sum(member.file_size for member in members)
    if unpacked > XLSX_MAX_UNCOMPRESSED:
        raise UploadRejected(_too_large(unpacked, limits))


def _too_large(unpacked: int, limits: Limits | None):
    size, most = _megabytes(unpacked), _megabytes(XLSX_MAX_UNCOMPRESSED)
    if limits is None:
        return _l("This workbook unpacks to %(size)s MB of data; at most %(max)s MB are read, so it was not "
                  "opened. Please split it into smaller files.", size=size, max=most)
    return lazy_ngettext(
        "This workbook unpacks to %(size)s MB of data; at most %(max)s MB are read, so it was not opened. At "
        "most %(num)d row (after the header) per file, please: split it into smaller files.",
        "This workbook unpacks to %(size)s MB of data; at most %(max)s MB are read, so it was not opened. At "
        "most %(num)d rows (after the header) per file, please: split it into smaller files.",
        limits.max_rows, size=size, max=most)


def _megabytes(size: int) -> str:
    return format_decimal(round(size / (1024 * 1024), 1))


def cell_text(value) -> str:
    """A cell as text: dates as YYYY-MM-DD (with the time only when it has one), 12.0 as 12."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# CSV -----------------------------------------------------------------------------------------------------


def read_csv(data: bytes, limits: Limits, deadline: Deadline | None = None) -> Table:
    """A CSV file in Excel's dialects (comma, semicolon or tab; UTF-8 with or without BOM, or Windows-1252)."""
    deadline = deadline or Deadline(limits.seconds)
    text = decode_csv(data)
    table = Table("")
    reader = csv.reader(io.StringIO(text, newline=""), sniff_dialect(text[:CSV_SNIFF_BYTES]))
    try:  # csv's own field size limit (128 KiB) bounds one cell
        _collect(table, ([cell.strip() for cell in line] for line in reader), limits, deadline)
    except csv.Error:
        raise UploadRejected(_l("Line %(row)s of the file could not be read as CSV (a cell may be too long).",
                                row=reader.line_num)) from None
    return table


def decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:  # UTF-16, or not text at all
        raise UploadRejected(_l("This file is not a CSV text file. Please save it as CSV (UTF-8)."))
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadRejected(_l("This file is not a CSV text file. Please save it as CSV (UTF-8)."))


def sniff_dialect(sample: str) -> type[csv.Dialect]:
    """Excel's dialect with the delimiter (comma, semicolon or tab) that splits `sample` most consistently.

    Not csv.Sniffer: its regular expressions take seconds to minutes on crafted samples of a few KB (27 s on
    16 KB of quote-newline pairs), and only the delimiter is in doubt: Excel always quotes with "" doubling.
    The header counts most: the delimiter that gives it more than one column, then the one that gives the
    following lines the header's width, then the one that gives the most columns.
    """
    if len(sample) >= CSV_SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rfind("\n")]  # a cut-off last line misleads
    best, best_score = ",", None
    for delimiter in CSV_DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)
        try:
            widths = [len(line) for line in itertools.islice(reader, CSV_SNIFF_LINES) if any(line)]
        except csv.Error:
            continue
        if widths:
            score = (widths[0] > 1, sum(width == widths[0] for width in widths), widths[0])
            if best_score is None or score > best_score:
                best, best_score = delimiter, score
    return type("Sniffed", (csv.excel,), {"delimiter": best})


# Shared --------------------------------------------------------------------------------------------------


def _collect(table: Table, lines, limits: Limits, deadline: Deadline) -> None:
    """Keep the non-empty lines; stop at the first line past a cap or past the deadline."""
    # Gaps count too: read-only openpyxl yields an empty row for every row number a file skips.
    max_position = 2 * (limits.max_rows + 1) + 1000
    for position, line in enumerate(lines, start=1):
        deadline.check()
        if position > max_position:
            raise UploadRejected(_too_many_rows(table, position, limits.max_rows))
        if not any(line):
            continue
        if len(table.rows) > limits.max_rows:  # the header and max_rows rows are in already
            raise UploadRejected(_too_many_rows(table, position, limits.max_rows))
        if len(line) > limits.max_columns and any(line[limits.max_columns:]):
            raise UploadRejected(_too_many_columns(table, position, limits.max_columns))
        table.rows.append((position, line[: limits.max_columns]))


def _too_many_rows(table: Table, position: int, max_rows: int):
    if table.sheet:
        return _l("Sheet “%(sheet)s”, row %(row)s: at most %(n)s rows (after the header) per file, please.",
                  sheet=table.sheet, row=position, n=max_rows)
    return _l("Row %(row)s: at most %(n)s rows (after the header) per file, please.", row=position, n=max_rows)


def _too_many_columns(table: Table, position: int, max_columns: int):
    letter = column_letter(max_columns)
    if table.sheet:
        return _l("Sheet “%(sheet)s”, row %(row)s, column %(column)s: at most %(n)s columns are read.",
                  sheet=table.sheet, row=position, column=letter, n=max_columns)
    return _l("Row %(row)s, column %(column)s: at most %(n)s columns are read.", row=position, column=letter,
              n=max_columns)
