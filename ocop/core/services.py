"""Writes shared by every app: the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from ocop.core.models import AuditEntry


def audit_log(
    *,
    code: str,
    obj: models.Model,
    actor: Any = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    """Record that `actor` did `code` (``<app>.<entity>.<past verb>``) to `obj`."""
    from ocop.core.middleware import current_client_ip

    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        code=code,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        actor=user,
        changes=changes or {},
        reason=reason,
        ip_address=ip_address or current_client_ip(),
    )


def model_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value differs, as {field: [old, new]} with values made JSON-safe."""
    return {
        key: [_json_safe(before.get(key)), _json_safe(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_changes_bulk(
    *, code: str, changed: Sequence[tuple[models.Model, dict[str, Any]]], actor: Any = None, reason: str = "", at: Any
) -> list[AuditEntry]:
    """One unsaved audit entry per changed object with what changed (for a bulk write to save at once)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return [
        AuditEntry(code=code, object_type=obj._meta.label_lower, object_id=str(obj.pk), object_repr=str(obj)[:255],
                   actor=user, changes=diff, reason=reason, at=at)
        for obj, diff in changed
    ]  # fmt: skip


def audit_created_bulk(
    *, code: str, created: Sequence[models.Model], actor: Any = None, reason: str = "", at: Any
) -> list[AuditEntry]:
    """One unsaved audit entry naming every object a bulk insert created (their ids as ranges), so that 100,000
    new rows do not cost 100,000 audit rows; none when nothing was created."""
    if not created:
        return []
    user = actor if getattr(actor, "is_authenticated", False) else None
    meta = created[0]._meta
    return [
        AuditEntry(code=code, object_type=meta.label_lower, object_id="",
                   object_repr=f"{len(created)} × {meta.verbose_name}", actor=user,
                   changes={"count": len(created), "ids": id_ranges([obj.pk for obj in created])}, reason=reason, at=at)
    ]  # fmt: skip


def id_ranges(ids: list[int]) -> list[list[int]]:
    """[1, 2, 3, 7, 8] → [[1, 3], [7, 8]]: the ids a bulk insert created, compactly."""
    ranges: list[list[int]] = []
    for pk in sorted(ids):
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    return ranges
