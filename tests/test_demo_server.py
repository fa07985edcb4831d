"""What a newcomer sees from `make demo`: what the server says, how it stops, a taken port."""

import signal
import socket
import subprocess

import pytest

from meetings import demo_data
from tests.factories import MeetingFactory
from tests.servers import (
    BASE_DIR,
    Server,
    copy_test_database,
    free_port,
    in_file_database,
    manage,
    needs_sqlite,
)


def demo_records():
    return MeetingFactory(
        title=demo_data.REFERENCE_TITLE, start_date=demo_data.REFERENCE_DATE, classification=0
    )


@pytest.fixture(scope="module")
def database(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "db.sqlite3"
    with django_db_blocker.unblock():
        copy_test_database(path)
        reference = in_file_database(path, demo_records)
    return path, reference


def start_demo_server(database_path, log) -> tuple[Server, str]:
    """``manage.py serve_demo`` as bin/demo starts it, from a shell that put it in the background."""
    port = free_port()
    server = Server(
        manage("serve_demo", f"127.0.0.1:{port}"), log=log, env={"DATABASE_URL": f"sqlite:///{database_path}"}
    )
    server.wait_for("Stop it with")
    return server, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def demo(database, tmp_path_factory):
    path, reference = database
    server, address = start_demo_server(path, tmp_path_factory.mktemp("demo-log") / "server.log")
    yield server, address, reference
    server.stop()


@pytest.mark.django_db
@needs_sqlite
def test_once_listening_it_says_where_to_go_and_whom_to_sign_in_as(demo):
    server, address, reference = demo
    output = server.log()
    assert f"Defence meetings is running at  {address}/" in output
    assert f"The reference meeting:          {address}/meetings/{reference.pk}/" in output
    assert "(Kenya–UK defence talks, 26 February 2024)" in output
    assert "Sign in as  admin / demo-password-2024" in output
    assert "viewer / demo-password-2024" in output and "(viewer, clearance RESTRICTED)" in output
    assert f"Stop it with Ctrl+C, or from elsewhere: kill {server.pid}" in output
    assert "System check identified" not in output  # migrate has just run the checks


@pytest.mark.django_db
@needs_sqlite
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_started_in_the_background_it_stops_on_sigint_and_sigterm_alike(database, tmp_path, stop):
    server, address = start_demo_server(database[0], tmp_path / "server.log")
    try:
        server.process.send_signal(stop)
        assert server.process.wait(timeout=30) == 0
        with pytest.raises(ConnectionRefusedError):  # the serving child went too
            socket.create_connection(("127.0.0.1", int(address.rsplit(":", 1)[1])), timeout=5).close()
    finally:
        server.stop()


def run_demo(port: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BASE_DIR / "bin" / "demo")],
        env={"PATH": "/usr/bin:/bin", "PORT": port, "HOME": str(BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_taken_port_is_named_with_a_free_one_to_use_instead():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_demo(str(port))
    assert result.returncode == 1
    assert f"Port {port} is already in use on 127.0.0.1" in result.stderr
    suggested = int(result.stderr.split("PORT=")[1].split()[0])
    assert suggested != port
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # said before minutes of set-up, not after


def test_a_port_that_is_not_a_number_is_refused_with_an_example():
    result = run_demo("eight")
    assert result.returncode == 1
    assert "PORT must be a port number, not “eight”: e.g. PORT=8001 make demo" in result.stderr
