"""Private files (dossier evidence, imported lists): never under a public address.

They live in the storage named "private" (STORAGES): a folder outside the web root on one machine, or the
private/ prefix of an S3-compatible bucket when several servers share the files (MEDIA_STORAGE=s3). A view
that has checked who may see a file hands out a signed address valid for OCOP_PRIVATE_URL_SECONDS: the
bucket's own presigned URL on S3, or `/tep-rieng/<token>/` on the disk.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty

_SALT = "ocop.private-file"


class PrivateStorage(FileSystemStorage):
    """Files under OCOP_VAR_DIR/private, read from the settings at each use (tests and tools may move it)."""

    @property
    def base_location(self) -> str:
        return str(settings.VAR_DIR / "private")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


class _PrivateFiles(LazyObject):
    """The "private" storage, looked up when first used and again after the STORAGES setting changes."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


_private = _PrivateFiles()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty  # type: ignore[assignment]


def private_storage() -> Storage:
    """The storage of FileFields holding private files (a callable, so migrations do not freeze it)."""
    return _private  # type: ignore[return-value]


def random_file_name(folder: str, filename: str) -> str:
    """folder/<random hex><the upload's extension, if a plain one>: nothing guessable, nothing overwritten."""
    suffix = Path(filename).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        suffix = ""
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


@deconstructible
class RandomName:
    """upload_to for public media: folder (strftime codes allowed) / random name with the upload's extension."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        return random_file_name(timezone.now().strftime(self.folder), filename)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def is_s3(storage: Any) -> bool:
    return hasattr(storage, "bucket_name")


def private_url(name: str, *, filename: str, content_type: str, attachment: bool = False) -> str:
    """A signed, expiring address of one private file, for someone a view has just allowed to see it."""
    seconds = settings.OCOP_PRIVATE_URL_SECONDS
    storage: Any = private_storage()
    disposition = f'{"attachment" if attachment else "inline"}; filename="{filename}"'
    if is_s3(storage):
        return storage.url(
            name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type,
                        "ResponseCacheControl": "private, no-store"},
            expire=seconds,
        )  # fmt: skip
    token = signing.dumps({"n": name, "f": filename, "t": content_type, "a": attachment}, salt=_SALT, compress=True)
    return reverse("core:private-file", args=[token])


def private_url_open(token: str) -> dict[str, Any]:
    """What a signed address names, if its signature holds and it has not expired (signing.BadSignature
    and signing.SignatureExpired otherwise)."""
    return signing.loads(token, salt=_SALT, max_age=settings.OCOP_PRIVATE_URL_SECONDS)


@contextmanager
def local_path(field_file: Any) -> Iterator[Path]:
    """A path on this machine for a stored file: its own on the disk, a temporary copy from a bucket."""
    try:
        path = Path(field_file.path)
    except NotImplementedError:  # S3 and other remote storages have no local path
        path = None
    if path is not None:
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix=Path(field_file.name).suffix) as copy:
        with field_file.storage.open(field_file.name, "rb") as source:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
        copy.flush()
        yield Path(copy.name)
