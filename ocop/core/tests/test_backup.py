"""Backup and restore: an archive of the database and the files, restored into an empty database."""

from __future__ import annotations

import secrets
import sqlite3

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from ocop.accounts.models import User
from ocop.accounts.tests.factories import UserFactory
from ocop.catalog.tests.helpers import certified_product
from ocop.core.backup import BackupError, backup_create, backup_manifest, backup_restore, table_counts
from ocop.market import trade
from ocop.producers.models import ProducerMembership


def _counts_sqlite(path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_every_record_and_file(tmp_path, settings):
    call_command("load_reference", verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    product = certified_product("Miến dong Nguyên Bình", stars=4)
    owner = UserFactory(username="htx-sao-luu", role=User.Role.PRODUCER)
    ProducerMembership.objects.create(user=owner, producer=product.producer)
    pdf = SimpleUploadedFile("to-roi.pdf", "%PDF-1.4\n% Miến dong\n%%EOF\n".encode(), content_type="application/pdf")
    material = trade.material_add(producer=product.producer, product=product, by=owner, kind="brochure",
                                  title="Tờ rơi", upload=pdf)  # fmt: skip
    private = settings.VAR_DIR / "private" / "imports" / "danh-sach.xlsx"
    private.parent.mkdir(parents=True)
    private.write_bytes(b"PK\x03\x04 a list")
    expected = table_counts()

    archive = backup_create(tmp_path / "backups")
    manifest = backup_manifest(archive)
    assert manifest["tables"] == expected and manifest["tables"]["catalog_product"] >= 1
    restored_media, restored_private = tmp_path / "r-media", tmp_path / "r-private"
    if connection.vendor == "sqlite":
        target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}
        backup_restore(archive, settings_dict=target, media_root=restored_media, private_root=restored_private)
        found = _counts_sqlite(target["NAME"])
        with pytest.raises(BackupError, match="already holds"):  # never on top of a database
            backup_restore(archive, settings_dict=target, media_root=restored_media, private_root=restored_private)
    else:
        import psycopg

        name = f"ocop_restore_{secrets.token_hex(4)}"
        base = connection.settings_dict
        admin = {"host": base["HOST"] or "127.0.0.1", "port": base["PORT"] or 5432, "user": base["USER"] or "postgres",
                 "password": base["PASSWORD"] or None}  # fmt: skip
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        try:
            target = {**base, "NAME": name}
            backup_restore(archive, settings_dict=target, media_root=restored_media, private_root=restored_private)
            with psycopg.connect(dbname=name, **admin) as db:
                found = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in expected}  # noqa: S608
        finally:
            with psycopg.connect(dbname="postgres", autocommit=True, **admin) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert {t: found.get(t) for t in expected} == expected
    assert (restored_media / material.file.name).read_bytes().startswith(b"%PDF-")
    assert (restored_private / "imports" / "danh-sach.xlsx").read_bytes() == b"PK\x03\x04 a list"


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    import tarfile

    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz"):
        pass
    with pytest.raises(BackupError, match="not an OCOP Connect backup"):
        backup_manifest(bogus)
