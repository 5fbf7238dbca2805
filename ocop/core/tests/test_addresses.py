"""Addresses from patterns reversed once (ocop.core.addresses) are the strings `reverse` gives."""

import pytest
from django.urls import reverse, set_script_prefix

from ocop.core.addresses import address

CASES = [
    ("site:home", ()),
    ("catalog:product-list", ()),
    ("site:product-detail", (12345, "mat-ong-ban-ha-dong-van")),
    ("site:producer-detail", (7, "htx-che-shan-tuyet")),
    ("catalog:category-detail", ("thuc-pham",)),
    ("market:inquiry-new", (99,)),
    ("certification:verify-detail", ("AB12CD34EF",)),
    ("core:private-file", ("a b?c#d%e&f:g@h~i",)),  # a str converter: quoted as reverse quotes it
]


@pytest.mark.parametrize(("name", "args"), CASES)
def test_an_address_is_what_reverse_gives(name, args):
    assert address(name, *args) == reverse(name, args=args)


def test_a_script_prefix_is_kept():
    try:
        set_script_prefix("/ocop/")
        assert address("site:product-detail", 5, "che") == reverse("site:product-detail", args=[5, "che"])
        assert address("site:product-detail", 5, "che").startswith("/ocop/")
    finally:
        set_script_prefix("/")
    assert address("site:product-detail", 5, "che") == "/san-pham/5-che/"
