"""The SQL of migration 0003 (full-text index), importable by later migrations that must make it again."""

import importlib

_module = importlib.import_module("ocop.catalog.migrations.0003_search_index")
SQLITE_FORWARD = _module.SQLITE_FORWARD
SQLITE_BACKWARD = _module.SQLITE_BACKWARD
