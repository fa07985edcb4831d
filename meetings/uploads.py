"""Uploaded source files: how they are named, stored and handed out.

A file is kept under a random name (``sources/ab/ab…ef.pdf``) in the default storage,
never under the uploader's name, and reached only through the download view, which
checks the reader's clearance for the file's meeting. The uploaded name is kept on the
source for display and as the name the download is saved under, made safe first.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse


@dataclass(frozen=True)
class FileType:
    label: str
    extensions: tuple[str, ...]
    content_type: str


# The document types a source may carry. A stored file keeps the first extension of its
# type, and that extension alone decides the Content-Type it is served with.
FILE_TYPES = (
    FileType("PDF", (".pdf",), "application/pdf"),
    FileType(
        "Word document",
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    FileType(
        "Excel workbook", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    FileType(
        "PowerPoint presentation",
        (".pptx",),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    FileType("Word 97–2003 document", (".doc",), "application/msword"),
    FileType("Excel 97–2003 workbook", (".xls",), "application/vnd.ms-excel"),
    FileType("PowerPoint 97–2003 presentation", (".ppt",), "application/vnd.ms-powerpoint"),
    FileType("plain text", (".txt", ".text", ".md"), "text/plain; charset=utf-8"),
    FileType("PNG image", (".png",), "image/png"),
    FileType("JPEG image", (".jpg", ".jpeg"), "image/jpeg"),
    FileType("GIF image", (".gif",), "image/gif"),
    FileType("WebP image", (".webp",), "image/webp"),
)
CONTENT_TYPES = {extension: kind.content_type for kind in FILE_TYPES for extension in kind.extensions}
UNKNOWN_CONTENT_TYPE = "application/octet-stream"
# Characters Windows refuses in a file name; quotes and backslashes would also have to be
# escaped inside the header's quoted string.
UNSAFE_IN_NAMES = set('"*:<>?|\\/')


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
