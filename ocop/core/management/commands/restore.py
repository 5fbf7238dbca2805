"""Restore a backup into an empty database (the configured one, or --database-url) and put the files back."""

from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ocop.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore ARCHIVE (from `manage.py backup`) into an empty database, then check every table's rows."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database-url", default="", help="Target database (default: the configured one).")
        parser.add_argument("--media-root", default=str(settings.MEDIA_ROOT))
        parser.add_argument("--private-root", default=str(Path(settings.VAR_DIR) / "private"))

    def handle(self, *args, archive: str, database_url: str, media_root: str, private_root: str, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{archive}: no such file.")
        target = dict(dj_database_url.parse(database_url)) if database_url else dict(connection.settings_dict)
        try:
            manifest = backup_restore(path, settings_dict=target, media_root=Path(media_root),
                                      private_root=Path(private_root))  # fmt: skip
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Restored {sum(manifest['tables'].values())} rows and "
            f"{sum(len(v) for v in manifest['files'].values())} files from {path.name}."
        ))  # fmt: skip
