"""Where private uploads live: outside the public media folder, served only through views that check access."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under OCOP_VAR_DIR/private, read from the settings at each use (tests and tools may move it)."""

    @property
    def base_location(self) -> str:
        return str(settings.VAR_DIR / "private")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> FileSystemStorage:
    """Imported lists and dossier evidence: never under a public URL (the views stream them to allowed users)."""
    return PrivateStorage()
