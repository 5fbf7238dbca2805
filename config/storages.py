"""File storage profiles: the machine's disk (one server) or an S3-compatible bucket (several servers).

Kept apart from settings.py so that the tests build the S3 profile the same way for a local S3 server.
"""

from __future__ import annotations

from typing import Any

S3_BACKEND = "storages.backends.s3.S3Storage"


def filesystem_storages() -> dict[str, dict[str, Any]]:
    """One machine: public media under MEDIA_ROOT, private files under OCOP_VAR_DIR/private."""
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "ocop.core.storage.PrivateStorage"},
    }


def s3_storages(
    *, bucket: str, endpoint_url: str | None, region: str | None, access_key: str, secret_key: str,
    private_url_seconds: int,
) -> dict[str, dict[str, Any]]:  # fmt: skip
    """Public media (product pictures, brochures) under media/ with plain addresses (the bucket policy makes
    that prefix readable); private files (dossier evidence, imported lists) under private/, reachable only
    through signed addresses that expire after `private_url_seconds`."""
    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "file_overwrite": False,  # two uploads of "phieu.pdf" never replace each other
        "default_acl": None,
        "addressing_style": "path",  # works with MinIO, Ceph, moto and AWS alike
        "signature_version": "s3v4",
    }
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": {**common, "location": "media", "querystring_auth": False}},
        "private": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **common,
                "location": "private",
                "querystring_auth": True,
                "querystring_expire": private_url_seconds,
            },
        },
    }
