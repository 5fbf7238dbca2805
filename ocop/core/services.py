"""Writes shared by every app: the audit trail."""

from __future__ import annotations

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
