"""Hostile and damaged upload files, built in memory: zip bombs, entity expansion, spoofed sheet sizes."""
import io
import re
import zipfile

from openpyxl import Workbook

LAUGHS_DTD = (
    "<!DOCTYPE worksheet [\n<!ENTITY lol0 \"lol\">\n"
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    + "]>\n"
)


def workbook(rows: list[list], title: str = "Sheet") -> bytes:
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, changes: dict[str, bytes | None] | None = None, extra: dict[str, bytes] | None = None,
            sub: tuple[str, str, str] | None = None) -> bytes:
    """A copy of an XLSX zip with some members replaced (or, for None, dropped), added or edited by regex."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if changes and member.filename in changes:
                content = changes[member.filename]
                if content is None:
                    continue
            if sub and member.filename == sub[0]:
                content = re.sub(sub[1].encode(), sub[2].encode(), content)
            target.writestr(member.filename, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def billion_laughs(rows: list[list], title: str = "Sheet") -> bytes:
    """A real workbook whose sheet declares nested entities (3 GB if expanded) and uses them in its first cell."""
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(workbook(rows, title))) as source:
        xml = source.read(sheet).decode()
    xml = re.sub(r"^<\?xml[^>]*>", "", xml)
    xml = re.sub(r"<is><t>[^<]*</t></is>", "<is><t>&lol9;</t></is>", xml, count=1)
    return rewrite(workbook(rows, title), {sheet: (LAUGHS_DTD + xml).encode()})


def zip_bomb(rows: list[list], title: str = "Sheet", megabytes: int = 30) -> bytes:
    """A real workbook plus one member of `megabytes` zeros (30 MB: about 30 KB compressed)."""
    return rewrite(workbook(rows, title), extra={"xl/media/padding.bin": b"\0" * (megabytes * 1024 * 1024)})


def spoofed_dimension(rows: list[list], title: str = "Sheet") -> bytes:
    """A real workbook whose sheet claims to fill A1:XFD1048576 (read-only openpyxl pads rows to the claim)."""
    return rewrite(workbook(rows, title), sub=("xl/worksheets/sheet1.xml", r'<dimension ref="[^"]*"\s*/>',
                                               '<dimension ref="A1:XFD1048576"/>'))


def wide_rows(rows: list[list], copies: int, title: str = "Sheet") -> bytes:
    """`rows`, then `copies` more rows each with one cell in the last column (XFD): 16,384 columns wide."""
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    for number in range(len(rows) + 1, len(rows) + 1 + copies):
        book.active.cell(number, 1, "item.none.label")
        book.active.cell(number, 16384, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OLE2_XLS = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504  # the header of an old .xls (OLE2) file
