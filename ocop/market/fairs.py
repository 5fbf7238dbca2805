"""The trade-promotion office's fairs: a fair with its booth types and prices, created and edited on screen.

A province's trade-promotion centre (its province officers) organises the fairs of its province, the central
office any fair. Booth types keep what was already booked: a type cannot shrink below its accepted booths, and a
type with requests cannot be removed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ocop.accounts.permissions import manages_province
from ocop.core.errors import ApplicationError
from ocop.core.services import audit_log, model_changes
from ocop.core.text import plain_text
from ocop.market.models import BoothBooking, BoothType, Fair

FAIR_FIELDS = ("name", "organiser", "place", "province", "starts_on", "ends_on", "registration_until",
               "first_come", "description")  # fmt: skip


def _dates_checked(starts_on: dt.date, ends_on: dt.date, registration_until: dt.date | None) -> None:
    if ends_on < starts_on:
        raise ApplicationError(_("A fair cannot end before it starts."), field="ends_on", code="dates")
    if registration_until is not None and registration_until > starts_on:
        raise ApplicationError(_("Booth requests must close by the fair's first day."), field="registration_until",
                               code="dates")  # fmt: skip


def _booths_checked(booths: list[dict[str, Any]]) -> None:
    names = [plain_text(b["name"]) for b in booths]
    if not booths:
        raise ApplicationError(_("Give at least one booth type (e.g. “Gian tiêu chuẩn 3×3 m”, 40 booths)."),
                               field="booths", code="booths")  # fmt: skip
    if len(set(n.casefold() for n in names)) != len(names):
        raise ApplicationError(_("Two booth types have the same name."), field="booths", code="booths")


@transaction.atomic
def fair_save(*, by: Any, fair: Fair | None = None, booths: list[dict[str, Any]], **fields: Any) -> Fair:
    """Create or change a fair and its booth types ({"id"?, "name", "count", "price"}; a missing id is new, an
    existing type left out is removed when nobody requested it)."""
    province = fields.get("province") or (fair.province if fair else None)
    if province is None or not manages_province(by, province.pk):
        raise ApplicationError(_("Only the trade-promotion office of the fair's province organises it."),
                               code="forbidden")  # fmt: skip
    if fair is not None and not manages_province(by, fair.province_id):
        raise ApplicationError(_("Only the trade-promotion office of the fair's province organises it."),
                               code="forbidden")  # fmt: skip
    _dates_checked(fields["starts_on"], fields["ends_on"], fields.get("registration_until"))
    _booths_checked(booths)
    created = fair is None
    fair = Fair(created_by=by) if fair is None else Fair.objects.select_for_update().get(pk=fair.pk)
    before = {key: getattr(fair, key, None) for key in FAIR_FIELDS} if not created else {}
    for key in FAIR_FIELDS:
        value = fields.get(key)
        setattr(fair, key, plain_text(value, multiline=key == "description") if isinstance(value, str) else value)
    fair.full_clean()
    fair.save()
    _booth_types_save(fair, booths)
    if created:
        audit_log(code="market.fair.created", obj=fair, actor=by)
    else:
        changes = model_changes(before, {key: getattr(fair, key) for key in FAIR_FIELDS})
        audit_log(code="market.fair.updated", obj=fair, actor=by, changes=changes)
    return fair


def _booth_types_save(fair: Fair, booths: list[dict[str, Any]]) -> None:
    existing = {t.pk: t for t in BoothType.objects.select_for_update().filter(fair=fair)}  # no GROUP BY with a lock
    accepted: dict[int, int] = {}
    requested: dict[int, int] = {}
    for row in (
        BoothBooking.objects.filter(booth_type__in=existing).values("booth_type")
        .annotate(accepted=Count("id", filter=Q(status=BoothBooking.Status.ACCEPTED)), requested=Count("id"))
    ):  # fmt: skip
        accepted[row["booth_type"]], requested[row["booth_type"]] = row["accepted"], row["requested"]
    kept = set()
    for booth in booths:
        found = existing.get(booth.get("id") or 0)
        name = plain_text(booth["name"])
        if found is None:
            BoothType.objects.create(fair=fair, name=name, count=booth["count"], price=booth.get("price") or 0)
            continue
        kept.add(found.pk)
        if booth["count"] < accepted.get(found.pk, 0):
            raise ApplicationError(
                _("“%(name)s” already has %(n)s accepted booths: it cannot have fewer.")
                % {"name": found.name, "n": accepted[found.pk]},
                field="booths", code="booths",
            )  # fmt: skip
        found.name, found.count, found.price = name, booth["count"], booth.get("price") or 0
        found.save(update_fields=["name", "count", "price"])
    for pk, booth_type in existing.items():
        if pk in kept:
            continue
        if requested.get(pk):
            raise ApplicationError(
                _("“%(name)s” has booth requests: it cannot be removed.") % {"name": booth_type.name},
                field="booths", code="booths",
            )  # fmt: skip
        booth_type.delete()
