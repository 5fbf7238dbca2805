"""Create forms that act once however often they are sent: a one-time token in the form, spent by the first
submission in the same transaction as what it creates.

`{% form_token %}` (core_tags) puts the token in a form; `@once_per_form` wraps the view that handles it. The
first POST with a token runs the view; if the view succeeds (a redirect), the token is kept with where it led;
if it shows the form again with errors, the token is given back (the corrected form can be sent). Any later
POST with the same token — a double click, a resend, a concurrent duplicate, which the database makes wait for
the first — is sent where the first went, with a message, and creates nothing."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from ocop.core.models import SubmittedForm

FIELD = "_once"


class _Rollback(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def once_per_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not token or len(token) > 64:
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                spent = SubmittedForm.objects.create(token=token)
                response = view(request, *args, **kwargs)
                if not isinstance(response, HttpResponseRedirect):
                    raise _Rollback(response)  # the form again, with its errors: the token is not spent
                spent.result_url = response["Location"][:500]
                spent.save(update_fields=["result_url"])
                return response
        except _Rollback as rollback:
            return rollback.response
        except IntegrityError:
            first = SubmittedForm.objects.filter(token=token).first()
            if first is None:
                raise
            messages.info(request, _("This form was already sent; it was not sent again."))
            return HttpResponseRedirect(first.result_url or request.path)

    return wrapper
