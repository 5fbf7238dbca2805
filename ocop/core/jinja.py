"""The Jinja2 environment of the few pages where template time is most of the page's time (the stamp scan page,
opened at every scan of every package: issue 21's bench; the public product page: issue 20's). Django's own
templates serve everything else.

Text is translated with Django's catalogue: `_()` for plain strings (which `makemessages` extracts from the
templates as it does from Django templates), sentences with numbers made in the view with `ngettext`. Dates use
Django's `date` filter and formats; autoescaping is on.
"""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import date, linebreaksbr
from django.templatetags.static import static
from django.utils.translation import get_language, gettext
from jinja2 import Environment


def _translate(message: str, **values: Any) -> str:
    text = gettext(message)
    return text % values if values else text


def environment(**options: Any) -> Environment:
    from ocop.core.templatetags.core_tags import local_number, picture, stars

    env = Environment(**options)  # noqa: S701  (autoescape is set in settings.TEMPLATES)
    env.globals.update(_=_translate, static=static, stars=stars, picture=picture, get_language=get_language)
    # Django's filters, as its templates apply them: numbers localized (1.649; 85,50), text escaped then broken
    env.filters.update(date=date, localize=local_number, linebreaksbr=linebreaksbr)
    return env
