"""The OpenAPI schema: every operation also documents the errors it can answer with, all
in the one shape of ``meetings.api.errors``."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

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
