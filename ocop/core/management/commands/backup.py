"""Back up the database and every uploaded file into one archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ocop.core.backup import BackupError, backup_create, backup_manifest


class Command(BaseCommand):
    help = "Write var/backups/ocop-backup-<time>.tar.gz: the database (SQLite online copy or pg_dump) and the files."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"), help="Folder to write to.")

    def handle(self, *args, output: str, **options):
        try:
            archive = backup_create(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = backup_manifest(archive)
        rows = sum(manifest["tables"].values())
        files = sum(len(v) for v in manifest["files"].values())
        self.stdout.write(self.style.SUCCESS(f"{archive} ({rows} rows, {files} files)"))
