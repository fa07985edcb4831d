"""The OpenAPI schema: every operation also documents the errors it can answer with."""

from drf_spectacular.openapi import AutoSchema

from meetings.api.serializers import ConflictSerializer, DetailSerializer, FieldErrors


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        errors = {
            "401": (DetailSerializer, "Not signed in: no token or session, or an unknown token."),
            "403": (DetailSerializer, "Signed in, but only editors and administrators change records."),
            "429": (DetailSerializer, "Too many requests with this token; try again later."),
        }
        if self.method in ("POST", "PUT", "PATCH") or self._is_list_view():
            errors["400"] = (FieldErrors, "Refused input: field name → messages; nothing was saved.")
        if "{" in self.path:
            errors["404"] = (DetailSerializer, "No such record, or none you are cleared to see.")
        elif self._is_list_view():
            errors["404"] = (DetailSerializer, "No such page.")
        if self.method in ("PUT", "PATCH", "DELETE"):
            errors["409"] = (
                ConflictSerializer,
                "Someone saved the record since you read it, or it is still in use elsewhere.",
            )
        for code, (serializer, description) in errors.items():
            if code not in bodies:
                body = self._get_response_for_code(serializer, code, direction=direction)
                bodies[code] = {**body, "description": description}
        return bodies
