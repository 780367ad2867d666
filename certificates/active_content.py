"""Active content in a certificate PDF: scripts, launch actions and embedded files.

The walk starts at the catalog and follows what a viewer acts on: /OpenAction and /AA, the name
trees (/JavaScript, /EmbeddedFiles), the pages, their annotations and /AA, the AcroForm fields
(and XFA), the outlines and every action's /Next. It never follows /Parent, /P or resources
(fonts and images hold no actions). An indirect object is visited once per context, so reference
cycles end, and the walk gives up after MAX_ITEMS objects and array entries.

A search of the raw bytes outside stream data backs the walk up: a viewer that repairs a damaged
file differently from pypdf may act on objects that pypdf never reaches.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import pypdf
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

# A certificate has hundreds of objects; hundreds of thousands are an attack on the walk.
MAX_ITEMS = 200_000
CHECK_EVERY = 1_000

SKIPPED_KEYS = frozenset(
    {"/Parent", "/P", "/Resources", "/DR", "/StructTreeRoot", "/Metadata", "/Thumb", "/PieceInfo"}
)

# Name tokens followed by a delimiter, outside stream data (where compressed bytes would match
# three-letter names by chance). Names spelt with #xx escapes are left to the walk.
_END_OF_NAME = rb"(?=[\s/<>\[\]()%{}]|\Z)"
_RAW_LAUNCH = re.compile(rb"/(?:Launch|GoToE)" + _END_OF_NAME)
_RAW_EMBEDDED = re.compile(rb"/(?:EmbeddedFiles?|FileAttachment)" + _END_OF_NAME)
_RAW_SCRIPT = re.compile(rb"/(?:JavaScript|JS)" + _END_OF_NAME)
_XFA_SCRIPT = re.compile(rb"<script[\s>/]", re.IGNORECASE)


class Context(Enum):
    OUTSIDE = "outside"  # a script here would run outside form fields
    FORM = "form"  # AcroForm fields and widgets: a state form's format and calculate scripts
    DOCUMENT = "document"  # the /JavaScript name tree: a form's shared functions, if it has one
    XFA = "xfa"  # XFA packets, whose scripts are in the XML


@dataclass
class ActiveContent:
    launch: bool = False
    embedded_file: bool = False
    script_outside_forms: bool = False
    form_script: bool = False
    document_script: bool = False

    @property
    def refusal(self) -> str | None:
        """The refusal code, most serious first; None when the file may be kept."""
        if self.launch:
            return "launch"
        if self.embedded_file:
            return "embedded_file"
        if self.script_outside_forms:
            return "script"
        return None

    @property
    def has_scripts(self) -> bool:
        return self.form_script or self.document_script


def find_active_content(reader: pypdf.PdfReader, data: bytes, *, check: Callable) -> ActiveContent:
    """What `reader` (parsed from `data`) carries; `check()` raises once the budget is spent."""
    found = ActiveContent()
    catalog = reader.trailer.raw_get("/Root")
    page_ids = {page.indirect_reference.idnum for page in reader.pages if page.indirect_reference}
    _walk(catalog, found, check=check, page_ids=page_ids)
    if found.document_script and not _has_form_fields(catalog.get_object()):
        found.script_outside_forms = True
    _search_raw_bytes(data, found)
    return found


def _walk(start, found: ActiveContent, *, check: Callable, page_ids: set[int]) -> None:
    catalog = start.get_object()
    stack: list[tuple[object, Context]] = [(start, Context.OUTSIDE)]
    seen: set[tuple[int, int, Context]] = set()
    items = 0
    next_check = CHECK_EVERY
    while stack:
        node, context = stack.pop()
        items += 1
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation, context)
            if key in seen:
                continue
            seen.add(key)
            if node.idnum in page_ids:
                context = Context.OUTSIDE
            node = node.get_object()
        if isinstance(node, ArrayObject):
            items += len(node)
            stack.extend((item, context) for item in node if _is_container(item))
        elif isinstance(node, DictionaryObject):
            context = _note(node, context, found)
            if context is Context.XFA and isinstance(node, StreamObject):
                found.form_script |= bool(_XFA_SCRIPT.search(node.get_data()))
            items += len(node)
            stack.extend(_children(node, context, is_catalog=node is catalog))
        if items > MAX_ITEMS:
            raise LimitReachedError(f"The document has more than {MAX_ITEMS} objects to inspect.")
        if items >= next_check:
            check()
            next_check = items + CHECK_EVERY


def _note(node: DictionaryObject, context: Context, found: ActiveContent) -> Context:
    """Record what `node` is; give the context its children are in."""
    action = node.get("/S")
    if action == "/Launch":
        found.launch = True
    if (
        action == "/GoToE"
        or "/EF" in node
        or "/EmbeddedFiles" in node
        or node.get("/Type") == "/EmbeddedFile"
        or node.get("/Subtype") == "/FileAttachment"
    ):
        found.embedded_file = True
    if action == "/JavaScript" or "/JS" in node:
        if context is Context.OUTSIDE:
            found.script_outside_forms = True
        elif context is Context.DOCUMENT:
            found.document_script = True
        else:
            found.form_script = True
    if node.get("/Type") == "/Page":
        return Context.OUTSIDE
    if node.get("/Subtype") == "/Widget" or "/FT" in node:
        return Context.FORM
    return context


def _children(node: DictionaryObject, context: Context, *, is_catalog: bool):
    for name, value in node.items():
        if name in SKIPPED_KEYS or not _is_container(value):
            continue
        child_context = context
        if is_catalog and name == "/AcroForm":
            child_context = Context.FORM
        elif is_catalog and name in {"/OpenAction", "/AA"}:
            child_context = Context.OUTSIDE
        elif name == "/JavaScript":
            child_context = Context.DOCUMENT
        elif name == "/XFA" and context is Context.FORM:
            child_context = Context.XFA
        yield value, child_context


def _is_container(value) -> bool:
    return isinstance(value, IndirectObject | ArrayObject | DictionaryObject)


def _has_form_fields(catalog) -> bool:
    acroform = catalog.get("/AcroForm") if isinstance(catalog, DictionaryObject) else None
    fields = acroform.get("/Fields") if isinstance(acroform, DictionaryObject) else None
    return isinstance(fields, ArrayObject) and len(fields) > 0


def _search_raw_bytes(data: bytes, found: ActiveContent) -> None:
    syntax = _without_stream_data(data)
    found.launch |= bool(_RAW_LAUNCH.search(syntax))
    found.embedded_file |= bool(_RAW_EMBEDDED.search(syntax))
    if _RAW_SCRIPT.search(syntax) and not (found.has_scripts or found.script_outside_forms):
        found.script_outside_forms = True


def _without_stream_data(data: bytes) -> bytes:
    """The file with what lies between `stream` and `endstream` left out, in one forward pass."""
    kept = []
    position = 0
    while (start := data.find(b"stream", position)) != -1:
        if data[max(0, start - 3) : start] == b"end":
            kept.append(data[position : start + 6])
            position = start + 6
            continue
        end = data.find(b"endstream", start + 6)
        if end == -1:
            break
        kept.append(data[position : start + 6])
        position = end
    kept.append(data[position:])
    return b"".join(kept)
