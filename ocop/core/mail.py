"""E-mail from templates, sent by the task worker after the transaction commits, never inside a request.

Each message is a pair of templates, `templates/email/<name>.subject.txt` and `<name>.body.txt`, written with
English msgids and translated through gettext (Vietnamese first). Services call `mail_queue()`; the context
holds plain values (names, numbers, dates already formatted, site paths), since it travels through the task
queue as JSON. Links are made absolute with OCOP_SITE_URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar, Token
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

SITE_ADDRESS_KEY = "ocop:site-address"
_request_site: ContextVar[str] = ContextVar("ocop_request_site", default="")
_last_recorded = {"site": ""}


def site_address_record(base: str) -> Token[str]:
    """Called for each request (SiteAddressMiddleware): links made while it runs use its address; the last one
    seen is kept in the shared cache for the work done outside a request (the daily reminders)."""
    if base != _last_recorded["site"]:
        cache.set(SITE_ADDRESS_KEY, base, None)
        _last_recorded["site"] = base
    return _request_site.set(base)


def site_address_forget(token: Token[str]) -> None:
    _request_site.reset(token)


def site_link(path: str) -> str:
    """An address people can open from their mailbox: OCOP_SITE_URL when set, else the address the site is being
    (or was last) reached at, before the path — never a bare path."""
    base = settings.OCOP_SITE_URL or _request_site.get() or cache.get(SITE_ADDRESS_KEY, "")
    return f"{base}{path}" if base else path


def mail_render(name: str, context: dict[str, Any], *, language: str = "vi") -> tuple[str, str]:
    """(subject, body) of the e-mail `name` in `language`."""
    with translation.override(language):
        subject = render_to_string(f"email/{name}.subject.txt", context)
        body = render_to_string(f"email/{name}.body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


@task()
def mail_send(name: str, context: dict[str, Any], recipients: list[str], language: str = "vi") -> int:
    """Render and send one e-mail through Django's e-mail backend; returns how many messages left."""
    subject, body = mail_render(name, context, language=language)
    return send_mail(subject, body, None, recipients, fail_silently=False)


def mail_queue(name: str, context: dict[str, Any], recipients: Iterable[str], *, language: str = "vi") -> None:
    """Queue the e-mail `name` to `recipients` once the current transaction commits (nothing is sent if it
    rolls back); blank addresses are dropped and each address gets one copy."""
    to = sorted({address for address in recipients if address})
    if to:
        transaction.on_commit(lambda: mail_send.enqueue(name, context, to, language))
