"""A real PostgreSQL server for the sql adapter's and export --to's tests: Debian's initdb in a
temporary directory owned by an unprivileged user (initdb refuses root), started on a free
local port with its socket in that directory, a database and a password-authenticated role
made with psql, and stopped at the end. The tests skip, saying why, only when no initdb is
installed (.ci/run installs it). A real MariaDB server the same way, for the SQLAlchemy path's
MySQL dialect (Debian's mariadb-server: mariadb-install-db, then mariadbd)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest

USER, PASSWORD, DATABASE = "ledger_reader", "s3cret-Pa55word", "company"


class Server(NamedTuple):
    url: str  # postgresql://ledger_reader:PASSWORD@127.0.0.1:PORT/company
    port: int
    psql: list[str]  # psql as the superuser, on the company database

    def sql(self, statement: str) -> str:
        """Run statements as the ledger's role (so that it owns what they create)."""
        done = subprocess.run(
            [*self.psql, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", f"SET ROLE {USER}; {statement}"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server() -> Iterator[Server]:
    """A PostgreSQL server in a temporary directory, stopped and removed at the end (also
    used by the benchmark's company case). RuntimeError when no initdb is installed."""
    bindir = _bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL's initdb is not installed (apt-get install postgresql)")
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
    top = Path(tempfile.mkdtemp(prefix="smartgoals-pg-"))
    if as_user:
        shutil.chown(top, "postgres")
    data, port = top / "data", _free_port()

    def run(*argv: str) -> None:
        subprocess.run([*as_user, *argv], check=True, capture_output=True)

    run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
    # password authentication over TCP for every role but the superuser on its socket
    (data / "pg_hba.conf").write_text(
        "local all postgres trust\nhost all all 127.0.0.1/32 scram-sha-256\n", encoding="utf-8"
    )
    options = f"-p {port} -k {top} -c listen_addresses=127.0.0.1"
    log = str(top / "log")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w", "start")
    psql = [*as_user, str(bindir / "psql"), "-h", str(top), "-p", str(port), "-U", "postgres"]
    try:
        subprocess.run(
            [*psql, "-qc", f"CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}'"], check=True
        )
        subprocess.run([*psql, "-qc", f"CREATE DATABASE {DATABASE} OWNER {USER}"], check=True)
        url = f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{port}/{DATABASE}"
        yield Server(url, port, [*psql, "-d", DATABASE])
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    if _bin() is None:
        pytest.skip("PostgreSQL's initdb is not installed (apt-get install postgresql)")
    with running_server() as server:
        yield server


@pytest.fixture
def user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Writes the user's own config.yaml (under a private XDG_CONFIG_HOME), with no
    $SMARTGOALS_CONNECTION_* of the environment left to win over it."""
    home = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    for key in [k for k in os.environ if k.startswith("SMARTGOALS_CONNECTION_")]:
        monkeypatch.delenv(key)

    def write(text: str) -> Path:
        (home / "smartgoals").mkdir(exist_ok=True)
        path = home / "smartgoals" / "config.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _mariadbd() -> str | None:
    """The server, when it and mariadb-install-db are installed."""
    found = shutil.which("mariadbd") or shutil.which("mariadbd", path="/usr/sbin:/usr/local/sbin")
    return found if found and shutil.which("mariadb-install-db") else None


class Maria(NamedTuple):
    url: str  # mysql+pymysql://ledger_reader:PASSWORD@127.0.0.1:PORT/company
    client: list[str]  # the mariadb client as root, on the company database

    def sql(self, statement: str) -> str:
        done = subprocess.run(
            [*self.client, "-N", "-B", "-e", statement], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


@contextmanager
def running_mariadb() -> Iterator[Maria]:
    """A MariaDB server in a temporary directory, on a free local port, stopped and removed at
    the end. RuntimeError when mariadbd is not installed."""
    mariadbd = _mariadbd()
    if mariadbd is None:
        raise RuntimeError("MariaDB is not installed (apt-get install mariadb-server)")
    as_user = ["runuser", "-u", "mysql", "--"] if os.geteuid() == 0 else []
    top = Path(tempfile.mkdtemp(prefix="smartgoals-maria-"))
    if as_user:
        shutil.chown(top, "mysql")
    data, sock, port = top / "data", top / "sock", _free_port()
    subprocess.run(
        [*as_user, "mariadb-install-db", "--no-defaults", f"--datadir={data}",
         "--auth-root-authentication-method=normal", "--skip-test-db"],
        check=True, capture_output=True,
    )  # fmt: skip
    server = subprocess.Popen(
        [*as_user, mariadbd, "--no-defaults", f"--datadir={data}", f"--socket={sock}",
         f"--port={port}", "--bind-address=127.0.0.1", "--skip-log-bin",
         f"--pid-file={top / 'pid'}", f"--log-error={top / 'log'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = ["mariadb", "--no-defaults", "-S", str(sock), "-u", "root"]
    try:
        for _ in range(120):
            if subprocess.run([*client, "-e", "SELECT 1"], capture_output=True).returncode == 0:
                break
            time.sleep(0.25)
        setup = (
            f"CREATE DATABASE {DATABASE}; CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY "
            f"'{PASSWORD}'; GRANT ALL ON {DATABASE}.* TO '{USER}'@'127.0.0.1'"
        )
        subprocess.run([*client, "-e", setup], check=True, capture_output=True)
        url = f"mysql+pymysql://{USER}:{PASSWORD}@127.0.0.1:{port}/{DATABASE}"
        yield Maria(url, [*client, DATABASE])
    finally:
        subprocess.run(
            ["mariadb-admin", "--no-defaults", "-S", str(sock), "-u", "root", "shutdown"],
            capture_output=True,
        )
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="session")
def mariadb() -> Iterator[Maria]:
    pytest.importorskip("pymysql")
    if _mariadbd() is None:
        pytest.skip("MariaDB is not installed (apt-get install mariadb-server)")
    with running_mariadb() as server:
        yield server
