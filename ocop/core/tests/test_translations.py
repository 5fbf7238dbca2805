from pathlib import Path

import polib
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[3] / "locale"


def test_every_interface_string_has_a_vietnamese_translation():
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_used():
    with translation.override("vi"):
        assert translation.gettext("OCOP products") == "Sản phẩm OCOP"
    with translation.override("en"):
        assert translation.gettext("OCOP products") == "OCOP products"
