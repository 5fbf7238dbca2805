"""Background work of imports: checking and importing large lists out of the request."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from ocop.accounts.models import User
from ocop.catalog.search import index_after_bulk_load
from ocop.core.errors import ApplicationError
from ocop.spreadsheets.models import ImportSession
from ocop.spreadsheets.services import (
    import_claim,
    import_commit,
    import_commit_reviewed,
    import_progress_recorder,
    import_review_claim,
    import_session_read,
    import_validate,
)


@task()
def import_run(session_id: int, action: str, user_id: int | None = None) -> dict[str, int]:
    """Read ("read"), check ("check") or import ("commit") one import session, recording its progress as it goes,
    or import the rows people reviewed ("review"). Every read of an uploaded file happens here, in the worker.

    A refusal is stored on the session for the officer to read; it is not an error of the worker.
    """
    session = ImportSession.objects.get(pk=session_id)
    by = User.objects.filter(pk=user_id).first() if user_id else None
    progress = import_progress_recorder(session)
    try:
        if action == "read":
            session = import_session_read(session=session)
        elif action == "review":
            counts = import_commit_reviewed(session=session, by=by)
            index_after_bulk_load()
            return counts
        elif action == "commit":
            session = import_commit(session=session, by=by, progress=progress, claimed=True)
            index_after_bulk_load()
        else:
            session = import_validate(session=session, progress=progress)
    except ApplicationError:
        return {}
    return dict(session.counts)


def import_start(*, session: ImportSession, action: str, by: Any = None) -> ImportSession:
    """Queue the reading of a stored upload ("read": a new session needs no claim), a check ("check") or the
    import ("commit") of a session as a background task, once claimed; or the import of its reviewed rows."""
    if action == "review":
        import_review_claim(session=session)
    elif not (action == "read" and session.status == ImportSession.Status.RECEIVED and not session.task_id):
        session = import_claim(session=session, action=action)
    result = import_run.enqueue(session.pk, action, getattr(by, "pk", None))
    session.task_id = str(result.id)[:64]
    session.save(update_fields=["task_id", "updated_at"])
    return session
