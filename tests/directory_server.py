"""A real OpenLDAP server (Debian's slapd) for the directory sign-in tests: started on a
free loopback port with a throwaway configuration and the users and groups of
``tests/ldap/directory.ldif``, stopped at the end of the session."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "ldap"
SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
BASE = "dc=mod,dc=example"
ROOT_DN, ROOT_PASSWORD = f"cn=admin,{BASE}", "root-secret"
CONFIG = """
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include {here}/ad-account.schema
pidfile {tmp}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{base}"
rootdn "{root_dn}"
rootpw {root_password}
directory {tmp}/data
access to attrs=userPassword by anonymous auth by * none
access to * by * read
"""


@dataclass
class Directory:
    uri: str
    port: int

    def connect(self):
        import ldap

        connection = ldap.initialize(self.uri)
        connection.simple_bind_s(ROOT_DN, ROOT_PASSWORD)
        return connection

    def env(self, **overrides) -> dict[str, str]:
        """The environment a deployment would set, as the README documents it."""
        groups = f"ou=groups,{BASE}"
        return {
            "LDAP_SERVER_URI": self.uri,
            "LDAP_BIND_DN": f"cn=meetings-app,ou=service,{BASE}",
            "LDAP_BIND_PASSWORD": "app-bind-secret",
            "LDAP_USER_SEARCH_BASE": f"ou=people,{BASE}",
            "LDAP_USER_FILTER": "(&(uid=%(user)s)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))",
            "LDAP_GROUP_SEARCH_BASE": groups,
            "LDAP_GROUP_FILTER": "(objectClass=groupOfNames)",
            "LDAP_GROUP_TYPE": "groupofnames",
            "LDAP_ROLE_GROUPS": (
                f"viewer=cn=meetings-viewers,{groups}; editor=cn=meetings-editors,{groups}; "
                f"administrator=cn=meetings-administrators,{groups}"
            ),
            "LDAP_CLEARANCE_GROUPS": (
                f"RESTRICTED=cn=clearance-restricted,{groups}; SECRET=cn=clearance-secret,{groups}"
            ),
            "LDAP_CLEARANCE_ATTRIBUTE": "employeeType",
            "LDAP_TIMEOUT_SECONDS": "2",
            **overrides,
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_it_answers(directory: Directory, process: subprocess.Popen, seconds: float = 30) -> None:
    import ldap

    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"slapd stopped at start-up: {process.stderr.read().decode()[-2000:]}")
        try:
            directory.connect().unbind_s()
            return
        except ldap.SERVER_DOWN:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _load(directory: Directory) -> None:
    import ldap.modlist
    from ldif import LDIFRecordList

    records = LDIFRecordList(open(HERE / "directory.ldif", "rb"))  # noqa: SIM115
    records.parse()
    connection = directory.connect()
    for dn, entry in records.all_records:
        connection.add_s(dn, ldap.modlist.addModlist(entry))
    connection.unbind_s()


@pytest.fixture(scope="session")
def directory_server():
    if not Path(SLAPD).exists():
        pytest.fail("slapd is missing: bin/setup installs it (Debian's slapd package).")
    tmp = Path(tempfile.mkdtemp(prefix="slapd-"))
    (tmp / "data").mkdir()
    config = tmp / "slapd.conf"
    config.write_text(
        CONFIG.format(here=HERE, tmp=tmp, base=BASE, root_dn=ROOT_DN, root_password=ROOT_PASSWORD)
    )
    port = _free_port()
    directory = Directory(uri=f"ldap://127.0.0.1:{port}", port=port)
    # -d 0: stay in the foreground, so the fixture owns the process and stops it.
    process = subprocess.Popen(
        [SLAPD, "-f", str(config), "-h", directory.uri, "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_until_it_answers(directory, process)
        _load(directory)
        yield directory
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
