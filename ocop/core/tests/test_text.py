import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocop.core.text import nfc, nfc_text, slugify_vn, vn_fold, vn_sort_key, vn_tone_key

REAL_NAMES = [
    ("Đồng Văn", "dong van"),
    ("Đậu phụ", "dau phu"),
    ("Miến dong Tài Hoan", "mien dong tai hoan"),
    ("Chè Shan tuyết", "che shan tuyet"),
    ("Bánh chưng Tranh Khúc", "banh chung tranh khuc"),
    ("Mật ong bạc hà Đồng Văn", "mat ong bac ha dong van"),
    ("ĐẮK LẮK", "dak lak"),
    ("Thừa Thiên Huế", "thua thien hue"),
]


@pytest.mark.parametrize(("name", "folded"), REAL_NAMES)
def test_vn_fold_folds_real_names(name, folded):
    assert vn_fold(name) == folded


def test_vn_fold_maps_d_with_stroke_before_stripping_marks():
    # đ has no Unicode decomposition: naive accent stripping would keep it.
    assert vn_fold("đường") == "duong"
    assert vn_fold("Đ") == "d"


def test_vn_fold_treats_decomposed_input_like_composed():
    assert vn_fold(unicodedata.normalize("NFD", "Bánh chưng")) == "banh chung"


def test_nfc_composes_and_collapses_spaces():
    assert nfc(unicodedata.normalize("NFD", "  Mật   ong ")) == "Mật ong"
    assert unicodedata.is_normalized("NFC", nfc(unicodedata.normalize("NFD", "Hòa Bình")))


def test_nfc_text_keeps_line_breaks():
    assert nfc_text("Dòng một  \r\nDòng hai\n") == "Dòng một\nDòng hai"


@pytest.mark.parametrize(
    ("old", "new"),
    [("hòa", "hoà"), ("Thúy", "Thuý"), ("khỏe", "khoẻ"), ("Hòa Bình", "Hoà Bình"), ("thủy sản", "thuỷ sản")],
)
def test_vn_tone_key_treats_old_and_new_tone_placement_as_equal(old, new):
    assert vn_tone_key(old) == vn_tone_key(new)


@pytest.mark.parametrize(("a", "b"), [("đường", "dương"), ("hòa", "hóa"), ("mật", "mất")])
def test_vn_tone_key_keeps_different_words_apart(a, b):
    assert vn_tone_key(a) != vn_tone_key(b)


def test_vn_tone_key_places_tones_on_the_main_vowel():
    assert vn_tone_key("quý") == "quý"
    assert vn_tone_key("giữa") == "giữa"
    assert vn_tone_key("người") == "người"
    assert vn_tone_key("hoàng") == "hoàng"


def test_vn_sort_key_puts_d_with_stroke_after_d_not_after_z():
    names = ["Zô", "Đà Nẵng", "Dương", "An Giang", "Ăn", "Ấp", "Bình"]
    assert sorted(names, key=vn_sort_key) == ["An Giang", "Ăn", "Ấp", "Bình", "Dương", "Đà Nẵng", "Zô"]


def test_vn_sort_key_orders_tones_after_letters():
    assert sorted(["má", "ma", "mà", "mạ", "mả", "mã"], key=vn_sort_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]
    assert sorted(["mạ", "mac"], key=vn_sort_key) == ["mạ", "mac"]


def test_slugify_vn_is_readable_ascii():
    assert slugify_vn("Mật ong bạc hà Đồng Văn") == "mat-ong-bac-ha-dong-van"
    assert slugify_vn("!!!") == "x"


vietnamese_text = st.text(
    alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ áàảãạấầẩẫậéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵứừửữự")),
    max_size=40,
)


@given(vietnamese_text)
def test_vn_fold_output_is_plain_lowercase_ascii(text):
    folded = vn_fold(text)
    assert folded.isascii()
    assert folded == folded.lower()


@given(vietnamese_text)
def test_vn_fold_is_idempotent_and_ignores_normal_form(text):
    assert vn_fold(vn_fold(text)) == vn_fold(text)
    assert vn_fold(unicodedata.normalize("NFD", text)) == vn_fold(text)


@given(vietnamese_text)
def test_vn_tone_key_never_changes_the_folded_text(text):
    assert vn_fold(vn_tone_key(text)) == vn_fold(text)


@given(st.lists(st.text(alphabet="abcdeghiklmnopqrstuvxy", max_size=12), min_size=2, max_size=10))
def test_vn_sort_key_agrees_with_plain_order_on_unaccented_words(words):
    assert sorted(words, key=vn_sort_key) == sorted(words)


@given(vietnamese_text, vietnamese_text)
def test_vn_sort_key_is_a_total_order_consistent_with_itself(a, b):
    ka, kb = vn_sort_key(a), vn_sort_key(b)
    assert (ka < kb) + (ka > kb) + (ka == kb) == 1
    if vn_tone_key(a) == vn_tone_key(b):
        assert ka == kb


def test_vn_sort_key_ignores_tone_placement_style():
    assert vn_sort_key("Hòa Bình") == vn_sort_key("Hoà Bình")


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30))
def test_vn_fold_table_gives_the_same_result_as_decomposing_every_character(value):
    import re

    from ocop.core.text import _vn_fold_slow

    assert vn_fold(value) == re.sub(r"\s+", " ", _vn_fold_slow(value).lower()).strip()


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30))
def test_nfc_collapses_white_space_as_the_regular_expression_does(value):
    import re

    assert nfc(value) == re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()


@given(
    st.text(
        alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÀẢÃÁẠĐƯàảãáạằẳẵắặầẩẫấậèẻẽéẹìỉĩíịòỏõóọờởỡớợùủũúụỳỷỹýỵ"
        "ḿǹ0123456789 _-,.()\t\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b",
        max_size=30,
    )
)
def test_vn_sort_key_word_by_word_equals_the_key_of_the_whole_text(value):
    """Each word's part of the key is kept once; the key is the one worked out over the whole text at once."""
    from ocop.core.text import _sort_letters

    letters, tones = _sort_letters(unicodedata.normalize("NFD", vn_tone_key(value)))
    assert vn_sort_key(value) == letters.strip() + "\x01" + tones


def test_plain_text_keeps_the_words_and_drops_the_markup():
    from ocop.core.text import plain_text

    pasted = (
        "<p>Mật ong <b>hoa nhãn</b> &amp; bạc hà</p><script>alert('x')</script>\r\n"
        "<style>p{color:red}</style>Giá &lt; 300.000 đ<img src=x onerror=alert(1)>"
    )
    assert plain_text(pasted, multiline=True) == "Mật ong hoa nhãn & bạc hà\nGiá < 300.000 đ"
    decomposed = unicodedata.normalize("NFD", "  Chè   Tân Cương ")
    assert plain_text(decomposed) == "Chè Tân Cương" and plain_text(decomposed) == unicodedata.normalize(
        "NFC", "Chè Tân Cương"
    )
