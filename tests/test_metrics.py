"""/metrics: Prometheus text for monitoring, off unless enabled and never open to all."""

import pytest
from django.test import Client
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import MeetingFactory

TOKEN = "metrics-token-0123456789abcdefghijklmnop"


def samples(text: str) -> dict[tuple, float]:
    """Each sample of the exposition by (name, sorted labels)."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client: Client) -> dict[tuple, float]:
    response = client.get(reverse("metrics"), headers={"authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return samples(response.content.decode())


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_ENABLED = True
    settings.METRICS_TOKEN = TOKEN
    return settings


@pytest.mark.django_db
def test_it_is_not_there_unless_enabled(admin_client_secret):
    assert admin_client_secret.get(reverse("metrics")).status_code == 404


@pytest.mark.django_db
def test_it_counts_latency_and_queries_by_view(metrics_on, viewer_client):
    MeetingFactory.create_batch(3)
    before = scrape(Client())
    assert viewer_client.get(reverse("meeting-list")).status_code == 200
    assert viewer_client.get("/meetings/no-such-page/").status_code == 404
    after = scrape(Client())

    def grew(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("meetings_request_duration_seconds_count", view="meeting-list", method="GET") == 1
    assert grew("meetings_requests_total", view="meeting-list", method="GET", status="200") == 1
    assert grew("meetings_db_queries_total", view="meeting-list", database="default") >= 3
    assert grew("meetings_db_queries_per_request_count", view="meeting-list") == 1
    # An address no pattern matches is counted under one label, never under its path.
    assert grew("meetings_requests_total", view="<unresolved>", method="GET", status="404") == 1
    assert not any("no-such-page" in str(key) for key in after)


@pytest.mark.django_db
def test_a_token_is_needed_when_one_is_set(metrics_on, client):
    refused = client.get(reverse("metrics"))
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == 'Bearer realm="metrics"'
    wrong = client.get(reverse("metrics"), headers={"authorization": "Bearer " + "x" * len(TOKEN)})
    assert wrong.status_code == 401
    assert b"meetings_requests" not in wrong.content


@pytest.mark.django_db
def test_only_allowed_addresses_read_it_when_they_are_set(settings, client):
    import ipaddress

    settings.METRICS_ENABLED = True
    settings.METRICS_ALLOWED_NETWORKS = [ipaddress.ip_network("10.1.0.0/16")]
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.2.0.1").status_code == 403
    assert client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_without_its_own_protection_only_administrators_read_it(settings, client, viewer_client):
    settings.METRICS_ENABLED = True
    anonymous = Client().get(reverse("metrics"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert viewer_client.get(reverse("metrics")).status_code == 403


@pytest.mark.django_db
def test_an_administrator_reads_it_without_a_token(settings, admin_client_secret):
    settings.METRICS_ENABLED = True
    response = admin_client_secret.get(reverse("metrics"))
    assert response.status_code == 200
    assert b"# TYPE meetings_request_duration_seconds histogram" in response.content
