"""Every answer under /api/ is JSON, and every error has one shape.

``{"field": ["message", …], "detail": "what is not about one field"}``: a row list holds
one such object per row, in the order sent (``{"attendees": [{}, {"delegation": […]}]}``);
a 409 adds ``current_version`` and ``changes``. Django's own pages (its 404 and 500, in
debug mode the technical ones too, the 400 of an oversized body) never reach an API client.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, UnsupportedMediaType
from rest_framework.parsers import JSONParser

NON_FIELD = "non_field_errors"
# Headers an error answer keeps when it is rewritten as JSON.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")

DETAILS = {
    400: "Bad request.",
    401: "Authentication credentials were not provided.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    405: "Method not allowed.",
    406: "This API answers in JSON only.",
    413: "The request is too large.",
    415: "Send the request body as JSON (Content-Type: application/json).",
    429: "Too many requests; try again later.",
    500: "Server error: the request was not completed. Nothing was saved.",
}


class Conflict(APIException):
    """409: the record changed since it was read, or is still used elsewhere."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record could not be changed."

    def __init__(self, detail: str, **extra):
        super().__init__(detail)
        if extra:  # kept as given: DRF would turn every value into a string
            self.detail = {"detail": self.detail, **extra}


class Unprocessable(APIException):
    """422: the request has the shape the schema describes, but breaks one of the app's rules
    (an end before the start, a name already taken, an id that names no record you can use)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The record could not be saved."

    def __init__(self, errors: Mapping):
        super().__init__()
        self.detail = dict(errors)


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = DETAILS[413]


class SafeJSONParser(JSONParser):
    """JSON within the upload limit (``DATA_UPLOAD_MAX_MEMORY_SIZE``, which Django applies
    only to forms); nesting too deep for the parser is refused like any malformed JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = b"" if stream is None else stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise TooLarge(_too_large())
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as error:
            raise ParseError("JSON parse error - the document is nested too deeply.") from error


def error_body(data, sent=None) -> dict:
    """Any DRF error detail in the API's one shape; ``sent`` is the request's JSON, whose row
    lists give the length of the lists of row errors."""
    if isinstance(data, Mapping):
        body = {}
        general = []
        for name, value in data.items():
            if name in (NON_FIELD, "detail"):
                general += _messages(value)
            elif name in ("current_version", "changes"):
                body[name] = value
            elif _is_rows(value):
                rows = value if isinstance(value, list) else _row_list(value, _sent_rows(sent, name))
                body[name] = [_field_messages(row) for row in rows]
            else:
                body[name] = _messages(value)
        if general:
            body["detail"] = " ".join(general)
        return body
    return {"detail": " ".join(_messages(data)) or DETAILS[400]}


def _is_rows(value) -> bool:
    """Errors of a list of objects: a list of them, or (DRF's) a mapping of positions to them."""
    if isinstance(value, Mapping):
        return bool(value) and all(
            str(key).isdigit() and isinstance(row, Mapping) for key, row in value.items()
        )
    return isinstance(value, list) and bool(value) and all(isinstance(row, Mapping) for row in value)


def _sent_rows(sent, name: str) -> int:
    rows = sent.get(name) if isinstance(sent, Mapping) else None
    return len(rows) if isinstance(rows, list) else 0


def _row_list(errors: Mapping, length: int) -> list:
    positions = {int(key): row for key, row in errors.items()}
    return [positions.get(index, {}) for index in range(max(length, max(positions) + 1))]


def _field_messages(row: Mapping) -> dict[str, list[str]]:
    return {(NON_FIELD if name == "detail" else name): _messages(value) for name, value in row.items()}


def _messages(value) -> list[str]:
    """Messages as a flat list of strings; a list field's errors (keyed by position) say which item."""
    if isinstance(value, Mapping):
        return [
            f"Item {int(key) + 1}: {message}" if str(key).isdigit() else f"{key}: {message}"
            for key, inner in value.items()
            for message in _messages(inner)
        ]
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def handle_exception(exc, context):
    """DRF's handler, with oversized requests as 413 and every body in the one shape."""
    # Imported here: DRF's views module reads the settings that name this module.
    from rest_framework.views import exception_handler

    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        exc = TooLarge(_too_large())
    if isinstance(exc, UnsupportedMediaType):
        exc.detail = f"{exc.detail} {DETAILS[415]}"
    response = exception_handler(exc, context)
    if response is not None:
        response.data = error_body(response.data, _sent(context))
    return response


def _sent(context) -> object:
    request = context.get("request")
    try:
        return request.data if request is not None else None
    except Exception:  # a body that could not be parsed has no rows to count
        return None


def _too_large() -> str:
    size, fields = settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    limits = [f"{size / 2**20:g} MiB of body" if size else "", f"{fields:,} parameters" if fields else ""]
    return f"The request is too large: at most {' and '.join(limit for limit in limits if limit)}."


def json_error(status_code: int, detail: str | None = None) -> JsonResponse:
    return JsonResponse({"detail": detail or DETAILS.get(status_code, DETAILS[400])}, status=status_code)


class JsonErrorsMiddleware:
    """Under /api/, an error answered by Django rather than the API (an unknown address, an
    id that is not a number, a crash, a refused request) is rewritten as the API's JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400 or _is_json(response):
            return response
        rewritten = json_error(response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                rewritten[header] = response[header]
        return rewritten


def _is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "")
    if not content_type.startswith("application/json"):
        return False
    if getattr(response, "streaming", False):
        return True
    try:
        json.loads(response.content or b"null")
    except ValueError:
        return False
    return True
