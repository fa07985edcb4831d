"""Starts the test OpenID Connect provider (``tests/oidc_provider``) as a process of its
own on a free loopback port, with a fresh database and signing key, for one test session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLIENT_ID, CLIENT_SECRET = "defence-meetings", "client-secret-for-tests"


@dataclass
class Provider:
    url: str

    def env(self, **overrides) -> dict[str, str]:
        """The environment a deployment would set, as the README documents it."""
        return {
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_PROVIDER_NAME": "Ministry sign-in",
            "OIDC_AUTHORIZATION_ENDPOINT": f"{self.url}/o/authorize/",
            "OIDC_TOKEN_ENDPOINT": f"{self.url}/o/token/",
            "OIDC_USERINFO_ENDPOINT": f"{self.url}/o/userinfo/",
            "OIDC_JWKS_ENDPOINT": f"{self.url}/o/.well-known/jwks.json",
            "OIDC_END_SESSION_ENDPOINT": f"{self.url}/o/logout/",
            "OIDC_ROLE_GROUPS": (
                "viewer=Meetings Readers; editor=Meetings Editors; administrator=Meetings Admins"
            ),
            "OIDC_CLEARANCE_GROUPS": "RESTRICTED=Cleared Restricted; SECRET=Cleared Secret",
            **overrides,
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def start_provider(app_url: str):
    """Yields a running provider whose client redirects to ``app_url``; stops it after."""
    tmp = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
    (tmp / "key.pem").write_text(_rsa_key())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(tmp / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": str(tmp / "key.pem"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    python = sys.executable
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True}
    subprocess.run([python, "-m", "django", "migrate", "--noinput"], **run)
    subprocess.run([python, "-m", "tests.oidc_provider.seed", app_url], **run)
    port = _free_port()
    provider = Provider(url=f"http://127.0.0.1:{port}")
    log = open(tmp / "provider.log", "wb")  # noqa: SIM115  (read if it fails to start)
    process = subprocess.Popen(
        [python, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the provider stopped: {(tmp / 'provider.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{provider.url}/o/.well-known/openid-configuration", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    """A provider for the browser tests, redirecting to the live server."""
    yield from start_provider(live_server.url)


@pytest.fixture(scope="session")
def oidc_provider_for_client():
    """A provider for Django's test client, whose address is http://testserver."""
    yield from start_provider("http://testserver")
