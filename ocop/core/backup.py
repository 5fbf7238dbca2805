"""Backups: the database and every uploaded file in one .tar.gz, and their restore into an empty database.

- SQLite: the online backup API (a consistent copy while the site keeps running).
- PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore --no-owner`.
- Files: the public media folder and the private one (import files), with a manifest listing the database
  kind, the time, and the number of rows of every table, which `restore` checks after loading.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
FILE_ROOTS = {"media": lambda: Path(settings.MEDIA_ROOT), "private": lambda: Path(settings.VAR_DIR) / "private"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def _tool(name: str) -> str:
    """The full path of a PostgreSQL client program (Debian's postgresql-client)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client programs (postgresql-client).")
    return path


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["-h", settings_dict.get("HOST") or "127.0.0.1", "-p", str(settings_dict.get("PORT") or 5432),
            "-U", settings_dict.get("USER") or "postgres"]  # fmt: skip
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def table_counts(conn: Any = None) -> dict[str, int]:
    """Rows per table of every installed model (what a restore must find again)."""
    conn = conn or connection
    counts = {}
    with conn.cursor() as cursor:
        existing = set(conn.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in existing and table not in counts:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608  (a table name from the models)
                counts[table] = cursor.fetchone()[0]
    return counts


def backup_create(destination: Path) -> Path:
    """Write a backup archive into the folder `destination`; returns its path."""
    destination.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    archive = destination / f"ocop-backup-{stamp}.tar.gz"
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        if vendor == "sqlite":
            dump = work_dir / "database.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(dump) as target:
                connection.connection.backup(target)
        elif vendor == "postgresql":
            dump = work_dir / "database.pgdump"
            args, env = _pg_env(connection.settings_dict)
            command = [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "-f", str(dump)]
            done = subprocess.run(  # noqa: S603  (fixed arguments, no shell)
                [*command, connection.settings_dict["NAME"]],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        else:
            raise BackupError(f"No backup method for the {vendor} database.")
        manifest: dict[str, Any] = {
            "created_at": timezone.now().isoformat(), "database": vendor, "dump": dump.name,
            "tables": table_counts(), "files": {},
        }  # fmt: skip
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(dump, arcname=dump.name)
            for name, root in FILE_ROOTS.items():
                folder = root()
                files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
                manifest["files"][name] = [str(p.relative_to(folder)) for p in files]
                for path in files:
                    tar.add(path, arcname=f"files/{name}/{path.relative_to(folder)}")
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now().timestamp())
            tar.addfile(info, fileobj=_bytes(data))
    return archive


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


def backup_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return json.loads(member.read())
    except (KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{archive.name} has no readable manifest: it is not an OCOP Connect backup.") from exc


def backup_restore(archive: Path, *, settings_dict: dict[str, Any], media_root: Path, private_root: Path) -> dict:
    """Load `archive` into the (empty) database described by `settings_dict` and put the files back.

    Refuses a non-empty target: a restore never mixes two histories. Returns the manifest.
    """
    manifest = backup_manifest(archive)
    vendor = "sqlite" if "sqlite" in settings_dict["ENGINE"] else "postgresql"
    if vendor != manifest["database"]:
        raise BackupError(f"The backup holds a {manifest['database']} database; the target is {vendor}.")
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")
        dump = Path(work) / manifest["dump"]
        if vendor == "sqlite":
            target = Path(settings_dict["NAME"])
            if target.exists() and target.stat().st_size > 0 and _sqlite_has_tables(target):
                raise BackupError(f"{target} already holds a database: restore into an empty one.")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(dump, target)
        else:
            args, env = _pg_env(settings_dict)
            done = subprocess.run(  # noqa: S603  (fixed arguments, no shell)
                [_tool("pg_restore"), *args, "--no-owner", "--exit-on-error", "-d", settings_dict["NAME"], str(dump)],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
        for name, root in (("media", media_root), ("private", private_root)):
            source = Path(work) / "files" / name
            if source.exists():
                shutil.copytree(source, root, dirs_exist_ok=True)
    return manifest


def _sqlite_has_tables(path: Path) -> bool:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0
