"""What every page's header needs: the signed-in person's unread notifications, counted only when drawn
(the template calls it; the count is taken once per page)."""

from __future__ import annotations

import functools


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from ocop.core.notifications import notifications_unread

    return {"unread_notifications": functools.cache(lambda: notifications_unread(user))}
