"""schemathesis drives every API operation from the app's own OpenAPI schema, as an editor
with a token: no answer may be a server error, and every answer must match the schema
(status code, content type, body)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.factories import ActionFactory, AttendanceFactory, MeetingTopicFactory, UserFactory

EXAMPLES = 10
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def token(db):
    editor = UserFactory(username="schema-editor", role="editor", clearance=3)
    # A few records with low ids, so that generated ids sometimes name a real one.
    ActionFactory()
    AttendanceFactory()
    MeetingTopicFactory()
    return Token.objects.create(user=editor).key


@pytest.fixture
def api_schema(token, settings):
    settings.API_TOKEN_RATE = "100000/hour"
    # As Django's own test client does: the test's transaction must outlive each request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, headers={"Authorization": f"Token {token}"}
    )
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_every_operation_answers_as_its_schema_says(api_schema, token):
    headers = {"Authorization": f"Token {token}"}
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            answers_as_documented()
        except (Exception, BaseExceptionGroup) as failure:  # every operation's failures, reported together
            failures.append(f"{operation.label}: {failure}")
    assert failures == [], "\n\n".join(failures)
