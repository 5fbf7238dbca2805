"""Reads for trade connection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from ocop.catalog.models import Product
from ocop.market.models import BoothBooking, BoothType, BuyerDemand, Fair, Inquiry, SalePoint, SalesChannel
from ocop.market.services import active_channel


def product_channels(*, product: Product, today: dt.date | None = None) -> dict[str, list[SalesChannel]]:
    """A product's live sales channels grouped by kind (e-commerce, retail, export), for "where to buy"."""
    grouped: dict[str, list[SalesChannel]] = {}
    for channel in product.sales_channels.filter(active_channel(today or dt.date.today())).order_by("kind", "name"):
        grouped.setdefault(channel.kind, []).append(channel)
    return grouped


def sale_points_open(*, on: dt.date) -> QuerySet[SalePoint]:
    """Display-and-sale points open on `on`: opened (or no date given) and not yet closed."""
    return SalePoint.objects.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=on)).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on)
    )


def inquiries_for(*, user: Any) -> QuerySet[Inquiry]:
    """The inquiries a user may read: their own as buyer, their producers', their province's (the trade-
    promotion centre), or all (the central office)."""
    return (
        Inquiry.objects.restrict(user)
        .select_related("product", "producer", "buyer")
        .annotate(replies=Count("messages"))
        .order_by("-updated_at", "-id")
    )


def demands_open() -> QuerySet[BuyerDemand]:
    """Open demands whose deadline has not passed, newest first (what producers browse)."""
    today = dt.date.today()
    return (
        BuyerDemand.objects.filter(status=BuyerDemand.Status.OPEN)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        .select_related("category", "delivery_province")
        .annotate(offer_count=Count("offers"))
        .order_by("-created_at", "-id")
    )


def booth_availability(*, fair: Fair) -> list[dict[str, Any]]:
    """Each booth type of a fair with how many booths are taken and free (one query)."""
    types = BoothType.objects.filter(fair=fair).annotate(
        taken=Count("bookings", filter=Q(bookings__status=BoothBooking.Status.ACCEPTED))
    )
    return [{"type": t, "taken": t.taken, "free": max(t.count - t.taken, 0)} for t in types]


def fair_participants(*, fair: Fair) -> list[BoothBooking]:
    """Accepted bookings with their producer and products shown (the public fair page)."""
    return list(
        BoothBooking.objects.filter(booth_type__fair=fair, status=BoothBooking.Status.ACCEPTED)
        .select_related("producer__province", "booth_type")
        .prefetch_related("products")
        .order_by("booth_type__name", "booth_number")
    )
