"""The search cases of the catalog; CI runs them on SQLite and on PostgreSQL."""

import datetime as dt
from dataclasses import replace

import pytest

from ocop.catalog.filters import apply_filters
from ocop.catalog.models import Category, Product
from ocop.catalog.selectors import SearchResult, capped_count, product_facets, product_search
from ocop.catalog.tests.helpers import certified_product
from ocop.geo.models import Commune, LegacyProvince, Province
from ocop.market.services import sales_channel_add
from ocop.producers.tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


def names(query="", **filters):
    result = product_search(filters={"q": query, **filters})
    return [product.name for product in result.products]


@pytest.fixture
def catalog():
    return {
        "banh": certified_product("Bánh chưng Tranh Khúc"),
        "mat_ong": certified_product("Mật ong bạc hà Đồng Văn", stars=4),
        "dau_phu": certified_product("Đậu phụ Mơ"),
        "mien": certified_product("Miến dong Tài Hoan"),
        "che": certified_product("Chè Shan tuyết Suối Giàng", stars=5),
        "duong": certified_product("Đường phèn Quảng Ngãi"),
        "duong2": certified_product("Dương xỉ cảnh", stars=5),
    }


@pytest.mark.parametrize("query", ["banh chung", "bánh chưng", "BANH CHUNG", "Bánh Chưng", "bánh  chưng "])
def test_with_or_without_accents_it_finds_banh_chung(catalog, query):
    assert names(query) == ["Bánh chưng Tranh Khúc"]


def test_d_folds_to_d(catalog):
    assert names("dong van") == ["Mật ong bạc hà Đồng Văn"]
    assert names("dau phu") == ["Đậu phụ Mơ"]
    assert names("ĐẬU PHỤ") == ["Đậu phụ Mơ"]


def test_words_are_prefixes_while_typing(catalog):
    assert names("mien do") == ["Miến dong Tài Hoan"]
    assert names("che shan tuy") == ["Chè Shan tuyết Suối Giàng"]


def test_accented_queries_rank_exact_accents_first(catalog):
    assert names("đường")[:2] == ["Đường phèn Quảng Ngãi", "Dương xỉ cảnh"]
    assert names("dương")[:2] == ["Dương xỉ cảnh", "Đường phèn Quảng Ngãi"]
    # Without accents both match and stars decide.
    assert names("duong")[:2] == ["Dương xỉ cảnh", "Đường phèn Quảng Ngãi"]


def test_a_typo_falls_back_to_the_closest_words(catalog):
    result = product_search(filters={"q": "mat ongg"})
    assert [p.name for p in result.products] == ["Mật ong bạc hà Đồng Văn"]
    assert result.corrected is not None
    assert result.corrected.text == "mat ong"


def test_nonsense_finds_nothing_and_is_not_corrected_into_something_random(catalog):
    result = product_search(filters={"q": "qqqxxzz"})
    assert list(result.products) == []


def test_name_matches_rank_above_producer_and_place_matches():
    producer = ProducerFactory(name="Hợp tác xã Mật ong Bắc Hà")
    by_producer = certified_product("Rượu ngô men lá", producer=producer, stars=5)
    by_name = certified_product("Mật ong hoa nhãn", stars=3)
    assert names("mat ong")[:2] == [by_name.name, by_producer.name]


def test_stars_then_recency_order_equal_matches():
    today = dt.date.today()
    older4 = certified_product("Gạo ST25 Sóc Trăng", stars=4, issued_on=today - dt.timedelta(days=700))
    newer4 = certified_product("Gạo ST25 Cà Mau", stars=4, issued_on=today - dt.timedelta(days=100))
    five = certified_product("Gạo ST25 hữu cơ", stars=5, issued_on=today - dt.timedelta(days=900))
    assert names("gao st25") == [five.name, newer4.name, older4.name]


def test_place_names_find_products(cao_bang):
    commune = Commune.objects.filter(province=cao_bang).order_by("code").first()
    certified_product("Hạt dẻ", commune=commune, province=cao_bang)
    assert names("cao bang") == ["Hạt dẻ"]


def test_former_province_names_find_products_of_that_province():
    bac_kan = LegacyProvince.objects.get(name="Bắc Kạn")
    thai_nguyen = bac_kan.successor
    commune = Commune.objects.filter(province=thai_nguyen).order_by("code").first()
    product = certified_product("Miến dong Na Rì", commune=commune, province=thai_nguyen, legacy_province=bac_kan)
    assert names("bac kan") == [product.name]
    assert names(former_province=bac_kan) == [product.name]
    assert names(province=thai_nguyen) == [product.name]


def test_filters_narrow_by_stars_status_group_year_kind_and_channel(catalog):
    revoked = certified_product("Rượu Làng Vân", stars=4, status="revoked", leaf_code="II.1.a")
    dated = certified_product("Nón lá Chuông", issued_on=dt.date(2024, 3, 15))
    assert set(names(stars=5)) == {"Chè Shan tuyết Suối Giàng", "Dương xỉ cảnh"}
    assert names(status="revoked") == [revoked.name]
    beverages = Category.objects.get(regime="148/2023", code="II")
    assert names(group=beverages) == [revoked.name]
    assert names(category=Category.objects.get(regime="148/2023", code="II.1")) == [revoked.name]
    assert names(year=2024) == [dated.name]
    kind = catalog["banh"].producer.kind
    assert all(p.producer_kind == kind for p in product_search(filters={"producer_kind": kind}).products)
    sales_channel_add(product=catalog["che"], kind="export", name="Nhật Bản")
    assert names(channel="export") == ["Chè Shan tuyết Suối Giàng"]


def test_facet_counts_ignore_their_own_selection(catalog, cao_bang):
    result = product_search(filters={"stars": 5})
    facets = product_facets(filters={"stars": 5}, query=result.query)
    stars = {option.value: option.count for option in facets["stars"]}
    assert stars == {"5": 2, "4": 1, "3": 4}  # the stars facet counts every star, not only the selected 5
    groups = {option.value: option.count for option in facets["group"]}
    assert sum(groups.values()) == 2


def test_province_facet_lists_provinces_in_vietnamese_order():
    for code in ("48", "92", "01"):  # Đà Nẵng, Cần Thơ, Hà Nội
        province = Province.objects.get(code=code)
        commune = Commune.objects.filter(province=province).first()
        certified_product(f"Sản phẩm {code}", commune=commune, province=province)
    result = product_search(filters={})
    labels = [o.label for o in product_facets(filters={}, query=result.query)["province"]]
    assert labels == ["Cần Thơ", "Đà Nẵng", "Hà Nội"]


def test_the_count_is_capped():
    for index in range(5):
        certified_product(f"Mứt gừng {index}")
    assert capped_count(Product.objects.all(), cap=3) == 4
    assert product_search(filters={"q": "mut gung"}).count == 5


def test_sorting_by_name_uses_vietnamese_order():
    for name in ("Đậu xanh", "Dưa lưới", "Ăn liền", "Zô"):
        certified_product(name)
    assert names(sort="name") == ["Ăn liền", "Dưa lưới", "Đậu xanh", "Zô"]


def test_queries_with_sql_and_fts_syntax_are_just_words(catalog):
    for query in ['"', "banh* OR 1=1", "'; DROP TABLE catalog_product; --", "NEAR(a b)", "a:b", "(", "-", "&|!"]:
        len(product_search(filters={"q": query}).products)
    assert names("banh chung") == ["Bánh chưng Tranh Khúc"]


def test_communes_are_offered_once_a_province_is_chosen(cao_bang):
    communes = list(Commune.objects.filter(province=cao_bang).order_by("code")[:2])
    for index, commune in enumerate(communes):
        certified_product(f"Hạt dẻ {index}", commune=commune, province=cao_bang)
    query = product_search(filters={}).query
    assert "commune" not in product_facets(filters={}, query=query)
    options = product_facets(filters={"province": cao_bang}, query=query)["commune"]
    assert {o.value: o.count for o in options} == {c.code: 1 for c in communes}
    assert names(commune=communes[0]) == ["Hạt dẻ 0"]


def test_honey_never_finds_fish_sauce_whose_group_name_mentions_honey():
    # I.3.d is "Chế biến từ thịt, trứng, sữa, thủy sản, mật ong, …": its name is a filter, not words of the products.
    certified_product("Mắm tôm chua Huế", leaf_code="I.3.d", stars=5)
    certified_product("Chả mực Hạ Long", leaf_code="I.3.d", stars=5)
    honey = certified_product("Mật ong hoa nhãn", leaf_code="I.2.b")
    assert names("mật ong") == [honey.name]
    assert names("mat ong") == [honey.name]


def test_a_valid_certificate_ranks_before_an_expired_one_with_more_stars():
    today = dt.date.today()
    expired = certified_product("Mật ong rừng U Minh", stars=5, issued_on=today - dt.timedelta(days=40 * 31))
    valid = certified_product("Mật ong hoa cà phê", stars=3)
    assert expired.certificate_status == "expired"
    assert names("mat ong") == [valid.name, expired.name]
    # The index follows a change of status at once (a revocation, an expiry run, an import).
    Product.objects.filter(pk=valid.pk).update(certificate_status="revoked")
    assert names("mat ong") == [expired.name, valid.name]


def test_a_category_name_typed_as_a_query_is_a_filter():
    drink = certified_product("Rượu Làng Vân", leaf_code="II.1.a")
    certified_product("Mây tre đan", leaf_code="IV.1")
    result = product_search(filters={"q": "Đồ uống"})
    assert [p.name for p in result.products] == [drink.name]


def test_every_facet_is_counted_in_one_statement(catalog, cao_bang, django_assert_max_num_queries):
    commune = Commune.objects.filter(province=cao_bang).order_by("code").first()
    certified_product("Hạt dẻ Trùng Khánh", stars=5, province=cao_bang, commune=commune)
    filters = {"q": "", "stars": 5, "province": cao_bang}
    with django_assert_max_num_queries(5) as captured:  # the counts, then the labels of provinces, former
        facets = product_facets(filters=filters, query=product_search(filters=filters).query)  # provinces, groups
    counting = [q["sql"] for q in captured.captured_queries if "MATERIALIZED" in q["sql"]]
    assert len(counting) == 1
    assert {o.value for o in facets["commune"]} and all(o.count for o in facets["commune"])


def test_the_search_index_is_kept_by_triggers_after_every_migration():
    from django.db import connection

    from ocop.catalog.migrations._search_index_0009 import SQLITE_TRIGGERS

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert set(SQLITE_TRIGGERS) <= {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'catalog_product' "
                "AND column_name IN ('search_vector', 'name_vector', 'search_rank')"
            )
            assert len(cursor.fetchall()) == 3


def test_text_and_every_filter_together(catalog, cao_bang):
    commune = Commune.objects.filter(province=cao_bang).order_by("code").first()
    former = LegacyProvince.objects.get(name="Cao Bằng")
    here = certified_product("Mật ong rừng Trùng Khánh", stars=5, province=cao_bang, commune=commune,
                             legacy_province=former, leaf_code="I.2.b")  # fmt: skip
    group = Category.objects.get(code="I")
    subgroup = Category.objects.get(code="I.2")
    for filters in ({"province": cao_bang}, {"commune": commune}, {"group": group}, {"category": subgroup},
                    {"stars": 5, "status": "valid", "producer_kind": here.producer_kind},
                    {"year": here.certified_on.year, "former_province": former}):  # fmt: skip
        assert names("mat ong", **filters) == [here.name], filters
        assert names("mat ong", sort="name", **filters) == [here.name], filters


def test_the_importers_insert_order_is_the_rank_the_search_index_keeps():
    """`index_rank` (Python, for the importer's insert order) is migration 0009's rank (SQL): held together."""
    from django.db import connection

    from ocop.catalog.search import ID_BITS, index_rank

    products = [
        certified_product("Trà hoa vàng Ba Chẽ", stars=5, issued_on=dt.date(2024, 2, 29)),
        certified_product("Miến dong Bình Liêu", stars=3, issued_on=dt.date(2019, 12, 31)),
    ]
    expired = certified_product("Mắm tôm Hậu Lộc", stars=4, issued_on=dt.date(2020, 1, 2))
    Product.objects.filter(pk=expired.pk).update(certificate_status="expired")
    products.append(expired)
    products = list(Product.objects.filter(pk__in=[p.pk for p in products]))
    assert {p.certificate_status for p in products} == {"valid", "expired"}
    with connection.cursor() as cursor:
        for product in products:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT search_rank FROM catalog_product WHERE id = %s", [product.pk])
                assert cursor.fetchone()[0] == index_rank(product)
            else:
                cursor.execute("SELECT rowid FROM catalog_product_name_fts WHERE rowid %% %s = %s",
                               [ID_BITS, product.pk])  # fmt: skip
                assert cursor.fetchone()[0] == index_rank(product) * ID_BITS + product.pk


@pytest.mark.parametrize("names_dense", [0, 200])
def test_a_dense_search_reads_the_same_pages_band_by_band(monkeypatch, names_dense):
    """PostgreSQL reads a frequent query's tiers band by band (the '#b' tokens), which must give the order of
    reading every match. On SQLite both read FTS5 in rank order."""
    from ocop.catalog import search
    from ocop.catalog.selectors import product_search_base

    monkeypatch.setattr(search, "NAMES_DENSE", names_dense)  # 0: the name tiers are read band by band
    today = dt.date.today()
    tea_maker = ProducerFactory(name="Hợp tác xã Trà Xanh Tân Cương", legacy_province=None)
    for index, (stars, age, status) in enumerate(
        [(5, 100, None), (4, 200, None), (3, 300, None), (5, 1300, None), (4, 400, "revoked"), (3, 150, None),
         (5, 500, None), (3, 1200, None), (4, 600, None), (3, 50, "revoked"), (5, 700, None), (4, 1100, None)]
    ):  # fmt: skip
        issued = today - dt.timedelta(days=age)
        certified_product(f"Trà xanh số {index}", stars=stars, issued_on=issued, status=status)  # the phrase
        certified_product(f"Xanh lá trà {index}", stars=stars, issued_on=issued, status=status)  # the words apart
        certified_product(f"Búp non {index}", stars=stars, issued_on=issued, status=status, producer=tea_maker)
    assert {p.certificate_status for p in Product.objects.all()} == {"valid", "expired", "revoked"}

    def read(query: str, dense: bool, limit: int | None) -> list[int]:  # as a page reads the tiers
        tiers = search.relevance_tiers(product_search_base(), search.parse_query(query), dense=dense)
        return SearchResult(tiers=list(tiers), query=None, corrected=None, sort="", count=0).ids(limit)

    for query in ("tra xa", "trà xanh", "tra xanh", "xanh tr", "tra x", "tan cuong", "bup non tan"):
        everything = read(query, False, None)
        assert everything, query
        for limit in (1, 2, 3, 5, 8, 13, 21, 34, None):
            assert read(query, True, limit) == read(query, False, limit) == everything[:limit], (query, limit)
    # The band follows a change of status at once.
    best = search.relevance_tiers(product_search_base(), search.parse_query("tra xanh"))[0].ids(1)
    Product.objects.filter(pk__in=best).update(certificate_status="revoked")
    assert search.relevance_tiers(product_search_base(), search.parse_query("tra xanh"))[0].ids(1) != best


def test_a_last_word_of_any_length_is_a_prefix():
    """PostgreSQL looks a last word of up to five letters up as a prefix token, a longer one as a prefix."""
    certified_product("Gạo nguyên cám Điện Biên")
    certified_product("Gạo nếp cái hoa vàng")
    for query in ("gao ngu", "gao nguy", "gao nguye", "gao nguyen", "gao nguyen c", "nguyen cam dien b"):
        assert names(query) == ["Gạo nguyên cám Điện Biên"], query
    assert len(names("gao n")) == len(names("g")) == len(names("gạo")) == 2


def test_the_typo_vocabulary_holds_words_not_index_tokens():
    from ocop.catalog.search import _vocabulary, vocabulary_refresh

    certified_product("Trà shan tuyết cổ thụ", stars=4)
    vocabulary = vocabulary_refresh() or _vocabulary()
    assert "tuyet" in vocabulary
    assert not [word for word in vocabulary if word.startswith(("~", "#"))]


def test_postgresql_counts_in_a_narrow_copy_of_the_products_kept_by_triggers(catalog, cao_bang):
    """PostgreSQL counts matches in `catalog_searchrow` (migration 0013): the same counts as the product table for
    every filter, and the copy follows inserts, updates (save and queryset update) and deletes at once."""
    from django.db import connection

    from ocop.catalog import search
    from ocop.catalog.migrations._search_rows_0013 import COLUMNS
    from ocop.catalog.selectors import product_search_base

    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts from its FTS5 tables")
    commune = Commune.objects.filter(province=cao_bang).order_by("code").first()
    here = certified_product("Mật ong rừng Trùng Khánh", stars=5, province=cao_bang, commune=commune,
                             leaf_code="I.2.b")  # fmt: skip
    renamed = catalog["banh"]
    renamed.name = "Mật ong bánh tổ"
    renamed.save()
    Product.objects.filter(pk=catalog["che"].pk).update(certificate_status="expired", name_folded="mat ong che")
    from ocop.catalog.tests.factories import ProductFactory

    ProductFactory(name="Mật ong nháp").delete()  # no certificate: it may go
    ProductFactory(name="Mật ong nháp 2")
    columns = ", ".join(("id", *COLUMNS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"(SELECT {columns} FROM catalog_product EXCEPT SELECT {columns} FROM catalog_searchrow) UNION ALL "  # noqa: S608
            f"(SELECT {columns} FROM catalog_searchrow EXCEPT SELECT {columns} FROM catalog_product)"
        )
        assert cursor.fetchall() == []
    group = Category.objects.get(code="I")
    subgroup = Category.objects.get(code="I.2")
    for filters in ({}, {"province": cao_bang}, {"commune": commune}, {"group": group}, {"stars": 5},
                    {"status": "expired"}, {"year": here.certified_on.year}, {"category": subgroup},
                    {"producer_kind": here.producer_kind}, {"channel": "ecommerce"}):  # fmt: skip
        products = apply_filters(product_search_base(), filters)
        for query in ("mat ong", "mat o", "m", "trung khanh", "banh"):
            for scope in ("all", "names"):
                tier = search.text_tier(products, search.parse_query(query), scope)
                assert tier.counted
                assert tier.count(1000) == replace(tier, counted="").count(1000), (filters, query, scope)


def test_a_search_pages_cards_draw_what_the_products_draw(catalog):
    """The page reads its cards in one statement into records; each card is the one the product's model draws:
    name, stars, status badge, producer, commune and province, group, price range and cover photo."""
    from ocop.catalog.selectors import product_list_public
    from ocop.catalog.templatetags.catalog_tags import product_card

    Product.objects.filter(pk=catalog["mat_ong"].pk).update(
        certificate_status="expired", price_max=None, unit="", cover={"width": 640, "height": 480,
        "files": {"320": {"webp": "p/a-320.webp", "jpeg": "p/a-320.jpg"}, "640": {"jpeg": "p/a-640.jpg"}}},
    )  # fmt: skip
    Product.objects.filter(pk=catalog["duong"].pk).update(category=None, price_min=None)
    homeless = ProducerFactory(name="Hợp tác xã Không Xã", commune=None, legacy_province=None,
                               province=Province.objects.get(code="04"))  # fmt: skip
    Product.objects.filter(pk=catalog["mien"].pk).update(producer=homeless)
    draft = certified_product("Bánh chưng bản nháp")
    Product.objects.filter(pk=draft.pk).update(status=Product.Status.DRAFT)

    result = product_search(filters={"q": "", "sort": "name"})
    cards = result.page(0, 24)
    models = product_list_public().in_bulk([card.pk for card in cards])
    assert [card.name for card in cards] == [p.name for p in result.products]  # same order, drafts left out
    assert draft.pk not in {card.pk for card in cards} and len(cards) == len(catalog)
    for position, card in enumerate(cards, start=1):
        assert product_card(card, position) == product_card(models[card.pk], position)
    drawn = {card.pk: product_card(card) for card in cards}
    assert "p/a-640.jpg" in drawn[catalog["mat_ong"].pk] and "badge-expired" in drawn[catalog["mat_ong"].pk]
    assert "Xã Khun Há" not in drawn[catalog["mien"].pk]


def test_a_search_page_reads_its_cards_in_one_query(catalog, django_assert_num_queries):
    result = product_search(filters={"q": "", "sort": "name"})
    result.ids(24)  # the order, read first
    with django_assert_num_queries(2):  # the ids again (not kept), then every card at once
        assert len(result.page(0, 24)) == len(catalog)
