"""Uploaded source files: how they are named, stored and handed out.

A file is kept under a random name (``sources/ab/ab…ef.pdf``) in the default storage,
never under the uploader's name, and reached only through the download view, which
checks the reader's clearance for the file's meeting. The uploaded name is kept on the
source for display and as the name the download is saved under, made safe first.
"""

from __future__ import annotations

import codecs
import unicodedata
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

import olefile
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from PIL import Image


@dataclass(frozen=True)
class FileType:
    label: str
    extensions: tuple[str, ...]
    content_type: str


# The document types a source may carry, each recognised by its content (see
# ``file_type``); the name's extension must agree with it.
PDF = FileType("PDF", (".pdf",), "application/pdf")
DOCX = FileType(
    "Word document", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
XLSX = FileType(
    "Excel workbook", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
PPTX = FileType(
    "PowerPoint presentation",
    (".pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
DOC = FileType("Word 97–2003 document", (".doc",), "application/msword")
XLS = FileType("Excel 97–2003 workbook", (".xls",), "application/vnd.ms-excel")
PPT = FileType("PowerPoint 97–2003 presentation", (".ppt",), "application/vnd.ms-powerpoint")
TEXT = FileType("plain text file", (".txt", ".md"), "text/plain; charset=utf-8")
PNG = FileType("PNG image", (".png",), "image/png")
JPEG = FileType("JPEG image", (".jpg", ".jpeg"), "image/jpeg")
GIF = FileType("GIF image", (".gif",), "image/gif")
WEBP = FileType("WebP image", (".webp",), "image/webp")
FILE_TYPES = (PDF, DOCX, XLSX, PPTX, DOC, XLS, PPT, TEXT, PNG, JPEG, GIF, WEBP)
# A stored file keeps its extension only when it is one of these, and that extension
# alone decides the Content-Type it is served with.
CONTENT_TYPES = {extension: kind.content_type for kind in FILE_TYPES for extension in kind.extensions}
UNKNOWN_CONTENT_TYPE = "application/octet-stream"
MAX_FILE_BYTES = 10 * 1024 * 1024
ACCEPTED = (
    "PDF, Word, Excel or PowerPoint (.docx, .xlsx, .pptx, .doc, .xls, .ppt), "
    "plain text in UTF-8 (.txt, .md), or a PNG, JPEG, GIF or WebP image"
)
# Characters Windows refuses in a file name; quotes and backslashes would also have to be
# escaped inside the header's quoted string.
UNSAFE_IN_NAMES = set('"*:<>?|\\/')


# What is accepted ------------------------------------------------------------------------------


def validate_source_file(value: File) -> None:
    """Refuse an upload that is too large, not one of ``FILE_TYPES`` by its content, or
    named with another type's extension. A file already stored was checked when it came.
    """
    if getattr(value, "_committed", False):
        return
    upload = value.file if isinstance(value, FieldFile) else value
    if value.size > MAX_FILE_BYTES:
        raise ValidationError(
            f"The file is {value.size / 1024 / 1024:.1f} MB; "
            f"the limit is {MAX_FILE_BYTES // 1024 // 1024} MB.",
            code="file_too_large",
        )
    kind = file_type(upload)
    extension = PurePosixPath(value.name or "").suffix.lower()
    if extension not in kind.extensions:
        named = f"its name ends in “{extension}”" if extension else "its name has no extension"
        raise ValidationError(
            f"This file is a {kind.label}, but {named}: rename it to end in {' or '.join(kind.extensions)}.",
            code="file_misnamed",
        )


def file_type(upload: File) -> FileType:
    """The accepted type this content is, or ValidationError saying why it is refused."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return _image(upload)
    if head.startswith(b"PK\x03\x04"):
        return _office_open_xml(upload)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _office_97(upload)
    return _plain_text(upload)


def _refused() -> ValidationError:
    return ValidationError(f"Files of this type are not accepted. Accepted: {ACCEPTED}.", code="file_type")


IMAGE_FORMATS = {"PNG": PNG, "JPEG": JPEG, "GIF": GIF, "WEBP": WEBP}


def _image(upload: File) -> FileType:
    try:
        with Image.open(upload, formats=list(IMAGE_FORMATS)) as image:
            kind = IMAGE_FORMATS[image.format]
            image.verify()
    except Image.DecompressionBombError:
        raise ValidationError(
            "This image has too many pixels to be opened safely: scale it down first.", code="file_too_large"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This image is damaged, or not a PNG, JPEG, GIF or WebP image.", code="file_damaged"
        ) from None
    finally:
        upload.seek(0)
    return kind


# The main part of each accepted Office Open XML document, as [Content_Types].xml names it.
OFFICE_OPEN_XML = {
    b"wordprocessingml.document.main+xml": DOCX,
    b"spreadsheetml.sheet.main+xml": XLSX,
    b"presentationml.presentation.main+xml": PPTX,
}


def _office_open_xml(upload: File) -> FileType:
    """A .docx, .xlsx or .pptx: a ZIP archive whose content types name its main part.

    Only the archive's directory and that one small entry are read, never the rest
    unpacked, so a ZIP bomb costs nothing.
    """
    damaged = ValidationError(
        "This file is damaged, or not a Word, Excel or PowerPoint document.", code="file_damaged"
    )
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                raise _refused()  # a ZIP archive, not a document
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                raise damaged
            content_types = archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        raise damaged from None
    finally:
        upload.seek(0)
    if b"macroEnabled" in content_types or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _macros()
    for main_part, kind in OFFICE_OPEN_XML.items():
        if main_part in content_types:
            return kind
    raise _refused()


def _macros() -> ValidationError:
    return ValidationError(
        "Documents with macros are not accepted: save it as a plain Word, Excel or PowerPoint "
        "document (.docx, .xlsx, .pptx) first.",
        code="file_macros",
    )


def _office_97(upload: File) -> FileType:
    """A .doc, .xls or .ppt: an OLE compound file holding that program's main stream."""
    try:
        with olefile.OleFileIO(upload) as ole:
            top = {entry[0].lower() for entry in ole.listdir(streams=True, storages=True)}
    except Exception:  # any failure to parse these bytes means a damaged file
        raise ValidationError(
            "This file is damaged, or not a Word, Excel or PowerPoint document.", code="file_damaged"
        ) from None
    finally:
        upload.seek(0)
    if top & {"macros", "_vba_project_cur"}:  # Word's and Excel's VBA storages
        raise _macros()
    if "worddocument" in top:
        return DOC
    if top & {"workbook", "book"}:
        return XLS
    if "powerpoint document" in top:
        return PPT
    raise _refused()


def _plain_text(upload: File) -> FileType:
    """UTF-8 text without NUL bytes, and not markup a browser would run (HTML, SVG, XML)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    first = ""  # the first character that is not white space or a byte-order mark
    upload.seek(0)
    try:
        for chunk in iter(lambda: upload.read(64 * 1024), b""):
            if b"\x00" in chunk:
                raise _refused()
            text = decoder.decode(chunk)
            first = first or text.lstrip("\ufeff \t\r\n\f")[:1]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise _refused() from None
    finally:
        upload.seek(0)
    if first == "<":
        raise ValidationError(
            "HTML, SVG and XML files are not accepted: save it as PDF, or paste its text into “Text”.",
            code="file_markup",
        )
    return TEXT


# How it is stored and served ---------------------------------------------------------------------


def stored_name(instance, filename: str) -> str:
    """A fresh random storage name, with the extension only if it is one of ``FILE_TYPES``."""
    extension = PurePosixPath(filename).suffix.lower()
    random = uuid.uuid4().hex
    return f"sources/{random[:2]}/{random}{extension if extension in CONTENT_TYPES else ''}"


def clean_file_name(name: str) -> str:
    """The uploaded name as a reader may see and save it.

    No folders, no control or invisible characters (line breaks, NUL, right-to-left
    overrides that disguise an extension), nothing a file system or a header refuses.
    """
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if char.isspace() else char
        for char in name
        if char.isspace() or (unicodedata.category(char)[0] != "C" and char not in UNSAFE_IN_NAMES)
    )
    name = " ".join(name.split()).strip(" .")
    stem, extension = _split(name)
    if len(name) > 200:
        name = stem[: 200 - len(extension)].rstrip(" .") + extension
    return name if stem else f"download{extension}"


def _split(name: str) -> tuple[str, str]:
    dot = name.rfind(".")
    return (name[:dot], name[dot:]) if dot > 0 else (name, "")


def content_disposition(name: str) -> str:
    """``attachment`` with the name for every browser: ASCII, and UTF-8 (RFC 5987) when it differs."""
    stem, extension = (_ascii(part) for part in _split(name))
    fallback = (stem or "download") + extension
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.split()).strip(" ")


class SourceFieldFile(FieldFile):
    """A source's stored file, whose address is the clearance-checked download."""

    @property
    def url(self) -> str:
        self._require_file()
        return reverse("source-file", args=[self.instance.pk]) if self.instance.pk else ""


class SourceFileField(models.FileField):
    attr_class = SourceFieldFile
    # Checked on every model form, the admin's included, by the model's own validation.
    default_validators = [validate_source_file]

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": SourceFileInput, **kwargs})


@dataclass(frozen=True)
class _StoredFile:
    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class ShowsUploadedName:
    """A file input whose "Currently:" link names the file as uploaded, not its storage name."""

    def format_value(self, value):
        if self.is_initial(value):
            return _StoredFile(value.url, value.instance.file_name or clean_file_name(value.name))
        return super().format_value(value)


class SourceFileInput(ShowsUploadedName, forms.ClearableFileInput):
    pass


def download(file: FieldFile, name: str) -> HttpResponse:
    """The stored file as an attachment no browser renders, streamed from the storage.

    With ``FILE_SERVER`` set, the front server sends the bytes instead (nginx's
    X-Accel-Redirect, or X-Sendfile), after this response has said which file and how.
    """
    content_type = CONTENT_TYPES.get(PurePosixPath(file.name).suffix, UNKNOWN_CONTENT_TYPE)
    if settings.FILE_SERVER == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.FILE_SERVER_PREFIX + quote(file.name)
    elif settings.FILE_SERVER == "sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = file.storage.path(file.name)
    else:
        try:
            stream = file.storage.open(file.name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(stream, content_type=content_type)
        response.block_size = 64 * 1024
    response["Content-Disposition"] = content_disposition(clean_file_name(name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
