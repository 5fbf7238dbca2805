"""Notifications: every workflow event a person should know of lands in their in-app centre (an unread count in
the header, a list, mark read) and, unless they turned its kind off, in their mailbox through the task queue.

Services call `notify(users, kind=…, title=…, link=…, mail=(template, context))`; `mail` names the e-mail that
goes with it (the generic "notification" e-mail when omitted). Addresses that belong to no account (a producer's
own contact address) are given as `also_to` and always receive the e-mail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.mail import mail_queue, site_link
from ocop.core.models import Notification, NotificationSetting

KINDS = {
    "dossier": _("Dossiers: submitted, returned, forwarded, results"),
    "council": _("Council work: appointed, a dossier to score"),
    "certificate": _("Certificates: issued, expiring, revoked"),
    "trade": _("Trade: inquiries, offers, fair booths"),
    "account": _("Account: producer claims"),
    "support": _("Support: requests and answers"),
    "inspection": _("Inspections after certification: remedies and revocation proposals"),
}


def notify(
    users: Iterable[Any], *, kind: str, title: str, link: str = "", mail: tuple[str, dict[str, Any]] | None = None,
    also_to: Iterable[str] = (),
) -> int:  # fmt: skip
    """Record one notification per active user and queue the e-mail (after the commit) to those who want it."""
    addresses = notifications_record(users, kind=kind, title=title, link=link)
    name, context = mail or ("notification", {"title": str(title)})
    mail_queue(name, {**context, "link": context.get("link") or site_link(link)}, [*addresses, *also_to])
    return len(addresses)


def notifications_record(users: Iterable[Any], *, kind: str, title: str, link: str = "") -> list[str]:
    """Put the notification in each active user's centre; returns the addresses of those who want it by e-mail
    (for a caller that sends its own e-mails)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    people = {user.pk: user for user in users if user is not None and getattr(user, "is_active", False)}
    Notification.objects.bulk_create(
        [Notification(user_id=pk, kind=kind, title=str(title)[:300], link=link[:500]) for pk in people]
    )
    muted = set(
        NotificationSetting.objects.filter(user_id__in=people, kind=kind, email=False).values_list("user_id", flat=True)
    )
    return [user.email for pk, user in people.items() if pk not in muted and user.email]


def notifications_unread(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_mark_read(user: Any, *, pk: int | None = None) -> int:
    """Mark one notification (or all) of this user read; another person's is never touched."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


def notification_settings(user: Any) -> dict[str, bool]:
    """kind → whether it arrives by e-mail."""
    off = set(NotificationSetting.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return {kind: kind not in off for kind in KINDS}


def notification_settings_save(user: Any, *, by_email: set[str]) -> None:
    for kind in KINDS:
        NotificationSetting.objects.update_or_create(user=user, kind=kind, defaults={"email": kind in by_email})


def notifications_forget(*, older_than_days: int = 365) -> int:
    """Read notifications older than a year go (the scheduler's daily clean-up)."""
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    return Notification.objects.filter(read_at__lt=cutoff).delete()[0]
