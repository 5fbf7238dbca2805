"""The default cache is shared by the processes of one machine: a change made by the worker is seen at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.cache import caches
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[3]


def test_a_catalog_change_in_another_process_reaches_this_one_at_once(tmp_path):
    location = tmp_path / "cache"
    shared = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(location)}}  # fmt: skip
    with override_settings(CACHES=shared):  # as `make run` configures it (Django resets its caches)
        from ocop.catalog import versioning

        assert type(caches["default"]).__name__ == "FileBasedCache"

        before = versioning.catalog_version()
        env = {**os.environ, "OCOP_CACHE": "file", "OCOP_VAR_DIR": str(tmp_path), "OCOP_TESTING": "true"}
        code = "from ocop.catalog.versioning import catalog_changed; catalog_changed(); catalog_changed()"
        subprocess.run(  # noqa: S603 - our own manage.py with a fixed command
            [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=120
        )  # a worker finishing an import bumps the version twice
        assert versioning.catalog_version() == before + 2
