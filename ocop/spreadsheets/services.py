"""Import sessions: create from an upload, set the column mapping, check, commit (all or nothing)."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.permissions import is_central
from ocop.certification.rollup import rollup_deferred
from ocop.core.errors import ApplicationError
from ocop.core.programme import CERTIFIED_STARS
from ocop.core.services import audit_log
from ocop.core.storage import local_path
from ocop.core.tabular import ImportRefused, check_upload, read_table
from ocop.core.text import slugify_vn
from ocop.spreadsheets.coercion import text
from ocop.spreadsheets.exporters import RejectedRowsExporter
from ocop.spreadsheets.headers import FIELDS, detect_header, header_signature, suggest_mapping
from ocop.spreadsheets.importer import Defaults, Plan, Progress, check_rows, match, nfc_cells, write_changes
from ocop.spreadsheets.models import ImportSession, RememberedMapping, ReviewItem

FIRST_REJECTED = 200
COMMIT_CHUNK = 5_000


def import_session_store(
    *, path: Path, filename: str, by: Any = None, province: Any = None, year: int | None = None,
    decision_number: str = "", decision_date: Any = None,
) -> ImportSession:  # fmt: skip
    """Keep an uploaded list without reading it (the web request's part): its size and first bytes are
    checked, the rest is for the worker (`import_session_read`).

    A file too big, empty, or plainly not a spreadsheet is refused here and nothing is stored.
    """
    kind = check_upload(path, filename)
    session = ImportSession(
        created_by=by if getattr(by, "is_authenticated", False) else None,
        province=province, year=year, decision_number=decision_number, decision_date=decision_date,
        original_name=filename[:255], kind=kind, status=ImportSession.Status.RECEIVED,
    )  # fmt: skip
    with open(path, "rb") as fh:
        session.file.save(Path(filename).name[-100:], File(fh), save=False)
    session.save()
    audit_log(code="spreadsheets.import.uploaded", obj=session, actor=by)
    return session


def import_session_read(*, session: ImportSession) -> ImportSession:
    """Read a stored list (in the worker): find its header row, suggest (or recall) the column mapping and keep
    the first rows to show beside the columns. A file that cannot be read fails the session with the reason."""
    try:
        with local_path(session.file) as path:
            table = read_table(path, session.original_name)
        header_row, headers = detect_header(table.rows)
        if header_row < 0:
            raise ImportRefused(
                _("No header row found in “%(name)s”: the first rows should name columns such as “Tên sản phẩm”, "
                  "“Chủ thể”, “Hạng sao”.") % {"name": session.original_name},
                code="no_header",
            )  # fmt: skip
    except Exception as exc:
        _fail(session, exc)
        raise
    remembered = RememberedMapping.objects.filter(signature=header_signature(headers)).first()
    mapping = {int(k): v for k, v in remembered.mapping.items()} if remembered else suggest_mapping(headers)
    session.kind = table.kind
    session.header_row = header_row
    session.headers = headers
    session.mapping = {str(k): v for k, v in mapping.items()}
    session.samples = [[text(value)[:60] for value in row] for row in table.rows[header_row + 1 : header_row + 4]]
    session.status = ImportSession.Status.UPLOADED
    session.progress = 100
    session.message = ""
    session.save(update_fields=["kind", "header_row", "headers", "mapping", "samples", "status", "progress",
                                "message", "updated_at"])  # fmt: skip
    return session


def import_session_create(
    *, path: Path, filename: str, by: Any = None, province: Any = None, year: int | None = None,
    decision_number: str = "", decision_date: Any = None,
) -> ImportSession:  # fmt: skip
    """Store and read a list at once (the command line's way, and tests'); a refused file leaves nothing behind."""
    session = import_session_store(
        path=path, filename=filename, by=by, province=province, year=year,
        decision_number=decision_number, decision_date=decision_date,
    )  # fmt: skip
    try:
        return import_session_read(session=session)
    except ImportRefused:
        session.file.delete(save=False)
        session.delete()
        raise


def import_session_set_mapping(*, session: ImportSession, mapping: dict[int, str], by: Any = None) -> ImportSession:
    """Confirm which column holds which field, and remember it for files with the same headers."""
    if session.status in (ImportSession.Status.COMMITTING, ImportSession.Status.COMMITTED):
        raise ApplicationError(_("This import has already been committed."), code="committed")
    fields = [name for name in mapping.values() if name]
    unknown = [name for name in fields if name not in FIELDS]
    if unknown:
        raise ApplicationError(_("Unknown field: %(name)s.") % {"name": unknown[0]}, code="mapping")
    duplicated = {name for name in fields if fields.count(name) > 1}
    if duplicated:
        raise ApplicationError(
            _("“%(field)s” is given to two columns.") % {"field": FIELDS[duplicated.pop()][0]}, code="mapping"
        )
    missing = [str(FIELDS[name][0]) for name in ("product_name", "producer_name") if name not in fields]
    if "stars" not in fields and not any(f"stars_{level}" in fields for level in CERTIFIED_STARS):
        missing.append(str(FIELDS["stars"][0]))
    if missing:
        raise ApplicationError(_("Choose the column for: %(fields)s.") % {"fields": ", ".join(missing)}, code="mapping")
    session.mapping = {str(k): v for k, v in mapping.items() if v}
    session.status = ImportSession.Status.UPLOADED
    session.save(update_fields=["mapping", "status", "updated_at"])
    RememberedMapping.objects.update_or_create(
        signature=header_signature(session.headers), defaults={"mapping": session.mapping}
    )
    return session


def _defaults(session: ImportSession, **extra: Any) -> Defaults:
    held = session.province_id is not None and session.created_by is not None and not is_central(session.created_by)
    return Defaults(
        province=session.province, year=session.year, decision_number=session.decision_number,
        decision_date=session.decision_date, held_to_province=held, source_name=session.original_name, **extra,
    )  # fmt: skip


def _plan(session: ImportSession, progress: Progress | None, defaults: Defaults | None = None) -> Plan:
    with local_path(session.file) as path:  # a temporary copy when the file lives in a bucket
        table = read_table(path, session.original_name)
        mapping = {int(k): v for k, v in session.mapping.items()}
        return check_rows(nfc_cells(table.rows), session.header_row, mapping, defaults or _defaults(session), progress)


def _fail(session: ImportSession, exc: Exception) -> None:
    if isinstance(exc, MemoryError):
        traceback.clear_frames(exc.__traceback__)  # give the rows back before writing the reason
        message = _("The file needs more memory than a background task may use (%(mb)s MB); split it into smaller "
                    "files.") % {"mb": settings.OCOP_TASK_MEMORY_MB}  # fmt: skip
    elif isinstance(exc, ApplicationError):
        message = exc.message
    else:
        message = _("Unexpected error: %(error)s") % {"error": exc}
    ImportSession.objects.filter(pk=session.pk).update(
        status=ImportSession.Status.FAILED, message=str(message)[:2000], updated_at=timezone.now()
    )


def import_progress_recorder(session: ImportSession) -> Progress:
    """A progress callback that stores whole percentages on the session (read by the progress bar)."""
    last = {"percent": -1}

    def record(fraction: float) -> None:
        percent = max(0, min(99, int(fraction * 100)))
        if percent != last["percent"]:
            last["percent"] = percent
            ImportSession.objects.filter(pk=session.pk).update(progress=percent)

    return record


def import_validate(*, session: ImportSession, progress: Progress | None = None) -> ImportSession:
    """Check every row and count what committing would do (new, updated, unchanged, rejected, to review)."""
    try:
        plan = _plan(session, progress)
        changes = match(plan, progress)
    except Exception as exc:
        _fail(session, exc)
        raise
    session.counts = {**changes.rows, "rejected": len(plan.rejected), "review": len(plan.review)}
    session.rejected = [{"row": r.row_number, "reason": r.reason} for r in plan.rejected[:FIRST_REJECTED]]
    _store_rejected(session, plan)
    session.status = ImportSession.Status.VALIDATED
    session.progress = 100
    session.message = ""
    session.save(update_fields=["counts", "rejected", "rejected_file", "status", "progress", "message",
                                "updated_at"])  # fmt: skip
    return session


def _store_rejected(session: ImportSession, plan: Plan) -> None:
    """Write the rejected rows' workbook beside the list (the page's download serves it as it is)."""
    if session.rejected_file:
        session.rejected_file.delete(save=False)
    if plan.rejected:
        book = RejectedRowsExporter(session.headers, [(r.cells, r.reason) for r in plan.rejected]).to_xlsx()
        stem = slugify_vn(Path(session.original_name).stem[:60]) or "danh-sach"
        session.rejected_file.save(f"{stem}-loi.xlsx", ContentFile(book), save=False)


def _claim(session: ImportSession, status: str, allowed: tuple[str, ...]) -> ImportSession:
    """Move the session into a running state, refusing if another check or import holds it."""
    with transaction.atomic():
        locked = ImportSession.objects.select_for_update().get(pk=session.pk)
        if locked.status == ImportSession.Status.COMMITTED:
            raise ApplicationError(_("This import has already been committed."), code="committed")
        if locked.status not in allowed and not locked.is_stale:
            raise ApplicationError(_("This file is being checked or imported already; wait for it to finish."),
                                   code="running")  # fmt: skip
        locked.status = status
        locked.progress = 0
        locked.message = ""
        locked.save(update_fields=["status", "progress", "message", "updated_at"])
    return locked


def import_commit(
    *, session: ImportSession, by: Any = None, progress: Progress | None = None, claimed: bool = False
) -> ImportSession:
    """Write every valid row in one transaction (or nothing); rejected rows are left for correction."""
    if not claimed:
        session = _claim(
            session,
            ImportSession.Status.COMMITTING,
            (ImportSession.Status.UPLOADED, ImportSession.Status.VALIDATED, ImportSession.Status.FAILED),
        )
    try:
        plan = _plan(session, progress)
        rows = {"new": 0, "updated": 0, "unchanged": 0}
        source = f"import #{session.pk} {session.original_name}"
        with transaction.atomic(), rollup_deferred():
            # Matched and written a chunk at a time inside the one transaction: a later chunk finds what an
            # earlier one created, and memory holds one chunk's objects, not 100,000 rows' worth. The
            # statistics rollup is written once, at the end.
            total = max(len(plan.records), 1)
            for start in range(0, len(plan.records), COMMIT_CHUNK):
                changes = match(Plan(records=plan.records[start : start + COMMIT_CHUNK]))
                write_changes(changes, by=by, source=source)
                for key, value in changes.rows.items():
                    rows[key] += value
                del changes
                if progress:
                    progress(0.5 + 0.5 * min(1.0, (start + COMMIT_CHUNK) / total))
            ReviewItem.objects.filter(session=session).delete()
            for row_number, data, address, candidates in plan.review:
                item = ReviewItem.objects.create(
                    session=session, row_number=row_number, data=data, address=address[:500]
                )
                item.candidates.set(candidates)
            session.counts = {**rows, "rejected": len(plan.rejected), "review": len(plan.review)}
            session.rejected = [{"row": r.row_number, "reason": r.reason} for r in plan.rejected[:FIRST_REJECTED]]
            _store_rejected(session, plan)
            session.status = ImportSession.Status.COMMITTED
            session.committed_at = timezone.now()
            session.progress = 100
            session.message = ""
            session.save()
            audit_log(code="spreadsheets.import.committed", obj=session, actor=by, changes=session.counts)
    except Exception as exc:
        _fail(session, exc)
        raise
    return session


def import_claim(*, session: ImportSession, action: str) -> ImportSession:
    """Claim a session for a check ("check") or the import ("commit"), refusing what its state does not allow;
    `tasks.import_start` then queues the work."""
    if action == "read":  # again, after the worker reading it was interrupted
        return _claim(session, ImportSession.Status.RECEIVED, (ImportSession.Status.FAILED,))
    if not session.is_read:
        raise ApplicationError(_("The file has not been read yet; wait for it, or upload it again."), code="unread")
    if action == "check":
        allowed: tuple[str, ...] = (
            ImportSession.Status.UPLOADED, ImportSession.Status.VALIDATED, ImportSession.Status.FAILED,
        )  # fmt: skip
        status = ImportSession.Status.CHECKING
    elif action == "commit":
        # A running import is refused by the claim below (unless its worker died: a stale claim is taken over).
        checked = (ImportSession.Status.VALIDATED, *ImportSession.RUNNING, ImportSession.Status.COMMITTED)
        if session.status not in checked:
            raise ApplicationError(_("Check the file before importing it."), code="not_checked")
        allowed = (ImportSession.Status.VALIDATED,)
        status = ImportSession.Status.COMMITTING
    else:
        raise ApplicationError(_("Unknown action."), code="action")
    return _claim(session, status, allowed)


def review_item_resolve(*, item: ReviewItem, commune: Any, by: Any = None) -> ReviewItem:
    """A person says which of the new communes a row from a split former commune belongs to."""
    if not item.candidates.filter(pk=commune.pk).exists():
        raise ApplicationError(
            _("“%(commune)s” is not one of the communes this former commune was split into.") % {"commune": commune},
            code="commune",
        )
    item.resolved_commune = commune
    item.save(update_fields=["resolved_commune"])
    audit_log(code="spreadsheets.review.resolved", obj=item.session, actor=by,
              changes={"row": item.row_number, "commune": commune.code})  # fmt: skip
    return item


def import_review_claim(*, session: ImportSession) -> None:
    """Refuse to queue the reviewed rows' import when there is nothing to do (said at once, in the request)."""
    if session.status != ImportSession.Status.COMMITTED:
        raise ApplicationError(_("Import the file before its rows to review."), code="not_committed")
    if not session.review_items.filter(resolved_commune__isnull=False).exists():
        raise ApplicationError(_("Choose the commune of at least one row first."), code="nothing_resolved")


def import_commit_reviewed(*, session: ImportSession, by: Any = None) -> dict[str, int]:
    """Give the reviewed rows the communes people chose (their records were imported with the commune unknown);
    they leave the review list."""
    with transaction.atomic():  # one run at a time: a second queued run finds the rows already gone
        session = ImportSession.objects.select_for_update().get(pk=session.pk)
        import_review_claim(session=session)
        items = list(session.review_items.filter(resolved_commune__isnull=False).select_related("resolved_commune"))
        chosen = {item.row_number: item.resolved_commune for item in items}
        plan = _plan(session, None, _defaults(session, chosen_communes=chosen, only_rows=set(chosen)))
        changes = match(plan, None)
        write_changes(changes, by=by, source=f"import #{session.pk} {session.original_name} (reviewed rows)")
        ReviewItem.objects.filter(pk__in=[item.pk for item in items]).delete()
        counts = dict(session.counts)  # the rows were counted when imported; they only leave the review list
        counts["review"] = max(0, counts.get("review", 0) - len(items))
        session.counts = counts
        session.save(update_fields=["counts", "updated_at"])
        audit_log(code="spreadsheets.review.committed", obj=session, actor=by, changes=changes.rows)
    return changes.rows


def rejected_rows(*, session: ImportSession) -> tuple[list[str], list[tuple[list[Any], str]]]:
    """The header and every rejected row with its reason, for the "fix and re-import" workbook."""
    plan = _plan(session, None)
    return session.headers, [(r.cells, r.reason) for r in plan.rejected]
