"""The OpenAPI schema: every operation also documents the errors it can answer with, all
in the one shape of ``meetings.api.errors``."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

from meetings.api.fields import VersionField
from meetings.api.serializers import HistoryEntrySerializer

MESSAGES = {"type": "array", "items": {"type": "string"}}
ERROR_DESCRIPTION = (
    "Field name → messages, `detail` for what concerns no single field. A row list "
    "(attendees, topics, actions, sources) holds one such object per row, in the order sent, "
    "empty for a row without error. A 409 for a changed record adds `current_version` and "
    "`changes`, what was saved since the version sent."
)

ERRORS = {
    "400": "Refused input: not what this schema describes (a type, format, length, enum, id or "
    "parameter). Nothing was saved.",
    "401": "Not signed in: no token or session, or an unknown token.",
    "403": "Signed in, but only editors and administrators change records.",
    "404": "No such record, or none you are cleared to see.",
    "409": "Someone saved the record since you read it (send the current version), or it is "
    "still in use elsewhere.",
    "413": "The request is too large.",
    "415": "The body is not JSON.",
    "422": "Well-formed, but breaks one of the app's rules (say, an end before the start, a "
    "name already taken, an id that names no record you can use). Nothing was saved.",
    "429": "Too many requests with this token; try again later.",
}


class ApiSchema(AutoSchema):
    def get_request_serializer(self):
        # A create or a change may take other fields than a record shows (``version``
        # required, ``meeting`` set once); the answer is always the record.
        view = self.view
        if self.method == "POST" and getattr(view, "create_serializer_class", None):
            return view.create_serializer_class
        if self.method in ("PUT", "PATCH") and getattr(view, "update_serializer_class", None):
            return view.update_serializer_class
        return super().get_request_serializer()

    def get_response_serializers(self):
        if self.method in ("POST", "PUT", "PATCH") and getattr(self.view, "serializer_class", None):
            return self.view.serializer_class
        return super().get_response_serializers()

    def _insert_field_validators(self, field, schema):
        # A validator that refuses what matches a character class (no line breaks) is
        # declared as its opposite: only those characters are excluded.
        for validator in field.validators:
            regex = getattr(validator, "regex", None)
            if getattr(validator, "inverse_match", False) and "pattern" not in schema:
                pattern = regex.pattern
                if pattern.startswith("[") and pattern.endswith("]") and not pattern.startswith("[^"):
                    excluded = pattern[1:-1].encode("ascii", "backslashreplace").decode()
                    schema["pattern"] = f"^[^{excluded.replace(chr(92) + 'x', chr(92) + 'u00')}]*$"
        super()._insert_field_validators(field, schema)
        # Such a pattern takes the empty string already: no second option for a blank field.
        options = schema.get("oneOf", [])
        if len(options) == 2 and options[1] == {"type": "string", "maxLength": 0}:
            inner = options[0]
            if inner.get("pattern", "").startswith("^[^") and not {"format", "minLength"} & set(inner):
                del schema["oneOf"]
                schema.update(inner)

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # A PATCH leaves every field out but the version it changes.
        versions = [name for name, field in serializer.fields.items() if isinstance(field, VersionField)]
        if versions and direction == "request":
            schema["required"] = sorted({*schema.get("required", []), *versions})
        return schema

    def _error_component(self) -> dict:
        history = self.resolve_serializer(HistoryEntrySerializer, "response").ref
        component = ResolvedComponent(
            name="Error",
            type=ResolvedComponent.SCHEMA,
            object="Error",
            schema={
                "type": "object",
                "description": ERROR_DESCRIPTION,
                "properties": {
                    "detail": {"type": "string"},
                    "current_version": {"type": "integer"},
                    "changes": {"type": "array", "items": history},
                },
                "additionalProperties": {
                    "type": "array",
                    "items": {
                        "anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": MESSAGES}]
                    },
                },
            },
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _codes(self) -> list[str]:
        writes = self.method in ("POST", "PUT", "PATCH")
        codes = ["401", "403", "429"]
        if writes or self._is_list_view():
            codes += ["400", "413"]
        if "{" in self.path or self._is_list_view():
            codes.append("404")
        if writes:
            codes += ["415", "422"]
        if self.method in ("PUT", "PATCH", "DELETE"):
            codes.append("409")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        error = self._error_component()
        for code in self._codes():
            if code not in bodies:
                description = ERRORS[code]
                if code == "404" and "{" not in self.path:
                    description = "No such page."
                bodies[code] = {
                    "description": description,
                    "content": {"application/json": {"schema": error}},
                }
        return bodies
