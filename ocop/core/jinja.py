"""The Jinja2 environment of the few pages where template time is most of the page's time (the stamp scan page,
opened at every scan of every package: issue 21's bench; the public product page: issue 20's). Django's own
templates serve everything else.

Text is translated with Django's catalogue: `_()` for plain strings (which `makemessages` extracts from the
templates as it does from Django templates), sentences with numbers made in the view with `ngettext`. Dates use
Django's `date` filter and formats; autoescaping is on.

`template(name)` compiles a template once per process and language with each plain `_("…")` already translated:
the compiled template holds the text as data. A page's twenty-odd `_()` calls at render time (Jinja's call
machinery, then the catalogue's lookups) were a quarter of the product page's template time.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.template import engines
from django.template.defaultfilters import date, linebreaksbr
from django.templatetags.static import static
from django.utils.translation import get_language, gettext
from jinja2 import Environment, Template


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


# `_("text")` or `_('text')` with nothing else in the call: a translation that depends only on the language.
_PLAIN_CALL = re.compile(r"""\b_\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\)""")


def _literal(text: str) -> str:
    """`text` as a Jinja string literal (double-quoted; Jinja reads the escapes as Python's unicode-escape)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def fold_translations(source: str) -> str:
    """The template's source with every plain `_("…")` replaced by the active language's text as a literal
    (calls with values, `_("%(n)s …", n=…)`, stay calls)."""

    def translated(found: re.Match[str]) -> str:
        quoted = found.group(1)
        # As Jinja's lexer reads a string literal.
        message = quoted[1:-1].encode("ascii", "backslashreplace").decode("unicode-escape")
        return _literal(gettext(message))

    return _PLAIN_CALL.sub(translated, source)


_COMPILED: dict[tuple[str, str | None], Template] = {}


def template(name: str) -> Template:
    """The Jinja2 template `name` compiled for the active language (kept per process; read afresh in DEBUG)."""
    key = (name, get_language())
    compiled = _COMPILED.get(key)
    if compiled is None:
        env = engines["jinja2"].env  # type: ignore[attr-defined]
        source, filename, _uptodate = env.loader.get_source(env, name)
        code = env.compile(fold_translations(source), name, filename)
        compiled = env.template_class.from_code(env, code, env.make_globals(None), None)
        if not settings.DEBUG:
            _COMPILED[key] = compiled
    return compiled
