"""Render a simple one-page certificate PDF (Helvetica text), used for demo data."""

from io import BytesIO

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

LETTER = (612, 792)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def render_text_pdf(title: str, lines: list[str]) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(*LETTER)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    commands = [
        "0.2 0.3 0.6 rg 50 730 512 2 re f 0 0 0 rg",
        f"BT /F1 18 Tf 54 745 Td ({_escape(title)}) Tj ET",
    ]
    y = 700
    for line in lines:
        commands.append(f"BT /F1 11 Tf 54 {y} Td ({_escape(line)}) Tj ET")
        y -= 20
    commands.append("0.6 0.6 0.6 RG 54 120 m 300 120 l S")
    commands.append("BT /F1 9 Tf 54 106 Td (Authorized signature) Tj ET")
    content = DecodedStreamObject()
    content.set_data("\n".join(commands).encode("latin-1", "replace"))
    page.replace_contents(content)
    writer.add_metadata({"/Title": title, "/Producer": "Nuvo demo data"})
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
