"""Who may do what: every predicate is a django-rules predicate, and the permissions templates ask (`perms.…`)
are registered here. Which rows a user may see is `ocop.accounts.scoping` (area_of, restrict)."""

from __future__ import annotations

from typing import Any

import rules

from ocop.accounts.models import User
from ocop.accounts.scoping import area_of, role_of

Role = User.Role
OFFICER_ROLES = {Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.CENTRAL_OFFICER, Role.SITE_ADMIN}
__all__ = ["area_of", "role_of"]


@rules.predicate
def is_central(user: Any) -> bool:
    """Central coordination office staff and site admins see the whole country."""
    return role_of(user) in (Role.CENTRAL_OFFICER, Role.SITE_ADMIN)


@rules.predicate
def is_province_officer(user: Any) -> bool:
    return role_of(user) == Role.PROVINCE_OFFICER


@rules.predicate
def is_commune_officer(user: Any) -> bool:
    return role_of(user) == Role.COMMUNE_OFFICER


@rules.predicate
def is_officer(user: Any) -> bool:
    return role_of(user) in OFFICER_ROLES


def _province_id(obj: Any) -> int | None:
    for attr in ("province_id", "producer.province_id", "product.producer.province_id"):
        target = obj
        for part in attr.split("."):
            target = getattr(target, part, None)
            if target is None:
                break
        if target is not None:
            return int(target)
    return None


def _commune_id(obj: Any) -> int | None:
    for attr in ("commune_id", "producer.commune_id", "product.producer.commune_id"):
        target = obj
        for part in attr.split("."):
            target = getattr(target, part, None)
            if target is None:
                break
        if target is not None:
            return int(target)
    return None


@rules.predicate
def in_own_province(user: Any, obj: Any) -> bool:
    """A province officer acting on something located in their own province."""
    return obj is not None and user.province_id is not None and _province_id(obj) == user.province_id


@rules.predicate
def in_own_commune(user: Any, obj: Any) -> bool:
    """A commune officer acting on something located in their own commune."""
    return obj is not None and user.commune_id is not None and _commune_id(obj) == user.commune_id


@rules.predicate
def acts_for_producer(user: Any, obj: Any) -> bool:
    """The user is a member of the producer that owns `obj` (a producer, product or certificate)."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    producer_id = getattr(obj, "producer_id", None)
    if producer_id is None and hasattr(obj, "product"):
        producer_id = obj.product.producer_id
    if producer_id is None:
        producer_id = obj.pk
    return user.memberships.filter(producer_id=producer_id).exists()


manages_location = is_central | (is_province_officer & in_own_province) | (is_commune_officer & in_own_commune)

rules.add_perm("producers.change_producer", acts_for_producer | manages_location)
rules.add_perm("catalog.change_product", acts_for_producer | manages_location)
rules.add_perm("certification.download_certificate", acts_for_producer | manages_location)
rules.add_perm("certification.revoke_certificate", is_central | (is_province_officer & in_own_province))
rules.add_perm("core.view_backoffice", is_officer)


@rules.predicate
def manages_province(user: Any, province_id: int | None) -> bool:
    """The central office, or a province officer of this province (for trade: its promotion centre)."""
    return is_central(user) or (
        role_of(user) == Role.PROVINCE_OFFICER and province_id is not None and user.province_id == province_id
    )


@rules.predicate
def acts_for(user: Any, producer_id: int) -> bool:
    """The signed-in user is a member of this producer."""
    return bool(role_of(user)) and user.memberships.filter(producer_id=producer_id).exists()


@rules.predicate
def has_province(user: Any) -> bool:
    return getattr(user, "province_id", None) is not None


# Importing a published list: the central office for any province, a province officer for their own.
rules.add_perm("spreadsheets.add_importsession", is_central | (is_province_officer & has_province))
rules.add_perm("spreadsheets.view_importsession", is_central | (is_province_officer & has_province & in_own_province))


@rules.predicate
def is_buyer(user: Any) -> bool:
    return role_of(user) == Role.BUYER


@rules.predicate
def has_area(user: Any) -> bool:
    """An officer or council member with a place to answer for (their own dashboard)."""
    return area_of(user) is not None


# What the menus and pages ask through `perms` (no object: the view checks the object itself).
rules.add_perm("evaluation.list_dossiers", rules.is_authenticated & ~is_buyer)
rules.add_perm("dashboards.view_backoffice", has_area)
rules.add_perm("core.view_audittrail", is_officer)


WORK_PAGES = {  # where each role lands after signing in
    "producer": "site:workspace",
    "commune_officer": "evaluation:dossier-list",
    "council_member": "evaluation:dossier-list",
    "province_officer": "dashboards:backoffice",
    "central_officer": "dashboards:backoffice",
    "site_admin": "dashboards:backoffice",
    "buyer": "market:demand-list",
}


def work_page(user: Any) -> str:
    """The address of a role's own work page (the URL is reversed here, by name: no import of the apps above)."""
    from django.urls import reverse

    return reverse(WORK_PAGES.get(getattr(user, "role", ""), "site:home"))
