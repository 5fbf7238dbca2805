"""E-mail from templates, sent by the task worker after the transaction commits, never inside a request.

Each message is a pair of templates, `templates/email/<name>.subject.txt` and `<name>.body.txt`, written with
English msgids and translated through gettext (Vietnamese first). Services call `mail_queue()`; the context
holds plain values (names, numbers, dates already formatted, site paths), since it travels through the task
queue as JSON. Links are made absolute with OCOP_SITE_URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


def site_link(path: str) -> str:
    """An address people can open from their mailbox: the site's own URL before the path."""
    return f"{settings.OCOP_SITE_URL}{path}" if settings.OCOP_SITE_URL else path


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
