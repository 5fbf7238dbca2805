"""Jinja2 templates compiled per language with their plain `_("…")` already translated (ocop.core.jinja); the
product page drawn this way is the page the runtime calls drew (ocop/site/tests/test_product_page.py)."""

from django.template import engines
from django.utils import translation

from ocop.core.jinja import fold_translations, template


def test_plain_calls_become_the_languages_text_and_calls_with_values_stay():
    source = '{{ _("Products") }} · {{ c.issuer or _(\'Description\') }} · {{ _("no. %(serial)s", serial=s) }}'
    with translation.override("vi"):
        folded = fold_translations(source)
    assert '_("Products")' not in folded and "_('Description')" not in folded
    assert '"Sản phẩm"' in folded and '"Mô tả"' in folded
    assert '_("no. %(serial)s", serial=s)' in folded  # needs its value at render time
    with translation.override("en"):
        assert '"Products"' in fold_translations(source)


def test_text_with_quotes_backslashes_and_lines_reads_back_as_written():
    env = engines["jinja2"].env
    for text in ['He said "ok"', "a\\b", "line one\nline two", "Mật ong 5★ — “ngon”", "it's", "\\u0041"]:
        written = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")  # as a template writes it
        literal = fold_translations('{{ _("' + written + '") }}')
        assert env.from_string(literal).render() == env.from_string("{{ t }}").render(t=text)


def test_each_language_has_its_own_compiled_template():
    with translation.override("vi"):
        vietnamese = template("site/product.html")
    with translation.override("en"):
        english = template("site/product.html")
        assert template("site/product.html") is english  # compiled once per process and language
    assert vietnamese is not english


def test_numbers_are_written_in_the_languages_format_each_as_it_is():
    from decimal import Decimal

    from ocop.core.templatetags.core_tags import local_number

    with translation.override("vi"):
        assert [local_number(v) for v in (1649, Decimal("85.50"), Decimal("85.5"), 1.5)] == ["1.649", "85,50", "85,5",
                                                                                            "1,5"]  # fmt: skip
    with translation.override("en"):
        assert [local_number(v) for v in (1649, Decimal("85.50"), Decimal("85.5"))] == ["1,649", "85.50", "85.5"]
