"""The part of the country a user answers for, and the one way a back-office queryset is cut to it.

`area_of(user)` holds the role → area rule: the central office and site admins answer for the whole country,
province officers and council members for their province, commune officers for their commune, everyone else
for none (producers see their own producers' records through membership instead). `ScopedQuerySet.restrict()`
applies it to any model that names where its province, commune and producer are (in the spirit of NetBox's
`RestrictedQuerySet.restrict()`); every list, page, export and API operation of the back office goes through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

from django.db import models
from django.db.models import Q

from ocop.accounts.models import User

Role = User.Role
NATIONAL_ROLES = frozenset({Role.CENTRAL_OFFICER, Role.SITE_ADMIN})
PROVINCE_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.COUNCIL_MEMBER})
AREA_ROLES = NATIONAL_ROLES | PROVINCE_ROLES | {Role.COMMUNE_OFFICER}


def role_of(user: Any) -> str | None:
    """The signed-in user's role, None for a visitor."""
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


@dataclass(frozen=True)
class Area:
    """The whole country, one province or one commune, as answered for by a user with `role`."""

    role: str
    province_id: int | None = None
    commune_id: int | None = None

    @property
    def is_national(self) -> bool:
        return self.province_id is None and self.commune_id is None


def area_of(user: Any) -> Area | None:
    """The area a user answers for; None for producers, buyers, visitors and officers without a place."""
    role = role_of(user)
    if role in NATIONAL_ROLES:
        return Area(role)
    if role in PROVINCE_ROLES and user.province_id:
        return Area(role, province_id=user.province_id)
    if role == Role.COMMUNE_OFFICER and user.commune_id:
        return Area(role, province_id=user.province_id, commune_id=user.commune_id)
    return None


def scope_q(
    user: Any,
    *,
    province: str | None = None,
    commune: str | None = None,
    producer: str | None = None,
    owner: str | None = None,
    area_roles: frozenset[str] = AREA_ROLES,
) -> Q:
    """The rows `user` may see, given the lookups to a row's province, commune, producer and owner (a user):
    its area (for the roles in `area_roles`), the records of the producers it is a member of, its own."""
    area = area_of(user)
    if area is not None and area.role in area_roles:
        if area.role in NATIONAL_ROLES:
            return Q()
        if area.commune_id is not None and area.role == Role.COMMUNE_OFFICER:
            found = Q(**{commune: area.commune_id}) if commune else Q(pk__in=[])
        else:
            found = Q(**{province: area.province_id}) if province else Q(pk__in=[])
    else:
        found = Q(pk__in=[])
    if role_of(user) is not None:
        if producer:
            found |= Q(**{f"{producer}__in": user.memberships.values("producer_id")})
        if owner:
            found |= Q(**{owner: user.pk})
    return found


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows where its rows are: `restrict(user)` keeps those the user may see."""

    province_path: ClassVar[str | None] = None
    commune_path: ClassVar[str | None] = None
    producer_path: ClassVar[str | None] = None
    owner_path: ClassVar[str | None] = None
    area_roles: ClassVar[frozenset[str]] = AREA_ROLES

    def restrict(self, user: Any) -> Self:
        return self.filter(
            scope_q(
                user, province=self.province_path, commune=self.commune_path, producer=self.producer_path,
                owner=self.owner_path, area_roles=self.area_roles,
            )
        )  # fmt: skip
