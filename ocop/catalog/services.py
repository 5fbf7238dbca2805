"""Writes for products."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from ocop.catalog.models import Product, ProductImage
from ocop.catalog.signals import products_reclassified
from ocop.catalog.versioning import catalog_changed
from ocop.core.errors import ApplicationError
from ocop.core.pictures import picture_renditions, pictures_delete
from ocop.core.services import audit_log, model_changes
from ocop.core.text import nfc, plain_text, slugify_vn, vn_fold, vn_sort_key, vn_tone_key

_LINE_FIELDS = ("name", "packaging", "unit", "capacity_unit", "code")
_TEXT_FIELDS = ("description", "story")


def product_fill_derived(product: Product) -> None:
    """Normalise text to NFC and fill the folded name, sort key and slug."""
    for field in _LINE_FIELDS:
        setattr(product, field, nfc(getattr(product, field) or ""))
    for field in _TEXT_FIELDS:
        setattr(product, field, plain_text(getattr(product, field) or "", multiline=True))
    product.name_folded = vn_fold(product.name)
    product.name_tone = vn_tone_key(product.name)
    product.sort_key = vn_sort_key(product.name)
    product.slug = slugify_vn(product.name)
    producer = product.producer
    product.province_id = producer.province_id
    product.commune_id = producer.commune_id
    product.legacy_province_id = producer.legacy_province_id
    product.producer_kind = producer.kind
    product.group_id = product.category.group_id if product.category is not None else None
    product.search_document = product_search_document(product)


def product_search_document(product: Product) -> str:
    """The folded text a product is found by besides its name: its producer and place (commune or former district,
    province, former province). Category names are filters, not words: "mật ong" must not find fish sauce because
    a group's long name mentions honey."""
    producer = product.producer
    parts = [producer.name]
    if producer.commune is not None:
        parts.append(producer.commune.name)
    elif producer.legacy_district is not None:
        parts.append(producer.legacy_district.name)
    parts.append(producer.province.name)
    legacy = producer.legacy_province if producer.legacy_province_id else None
    if legacy is not None and legacy.name != producer.province.name:
        parts.append(legacy.name)
    return vn_fold(" ".join(parts))


def on_producer_changed(sender: object, *, producer_id: int, **kwargs: object) -> None:
    """Receiver of `producers.signals.producer_changed`."""
    products_refresh_for_producer(producer_id=producer_id)


def products_refresh_for_producer(*, producer_id: int) -> int:
    """Recompute the search projection of a producer's products after the producer changed."""
    products = list(
        Product.objects.filter(producer_id=producer_id).select_related(
            "producer__commune",
            "producer__province",
            "producer__legacy_province",
            "category__parent",
            "category__group",
        )
    )
    for product in products:
        product_fill_derived(product)
    fields = ["province", "commune", "legacy_province", "producer_kind", "group", "search_document"]
    Product.objects.bulk_update(products, fields, batch_size=1000)
    products_reclassified.send(sender=Product, product_ids=[product.pk for product in products])
    catalog_changed()
    return len(products)


@transaction.atomic
def product_create(*, by: Any = None, **fields: Any) -> Product:
    """Create a product and record it in the audit trail."""
    product = Product(**fields)
    product_fill_derived(product)
    product.full_clean()
    product.save()
    audit_log(code="catalog.product.created", obj=product, actor=by)
    catalog_changed()
    return product


@transaction.atomic
def product_update(*, product: Product, by: Any = None, **fields: Any) -> Product:
    """Change a product's fields; the audit entry lists what changed."""
    before = {key: getattr(product, key) for key in fields}
    for key, value in fields.items():
        setattr(product, key, value)
    product_fill_derived(product)
    product.full_clean()
    product.save()
    changes = model_changes(before, {key: getattr(product, key) for key in fields})
    if changes:
        audit_log(code="catalog.product.updated", obj=product, actor=by, changes=changes)
        if "category" in changes or "producer" in changes:
            products_reclassified.send(sender=Product, product_ids=[product.pk])
        catalog_changed()
    return product


# --- The producer's own page: photos and moderation ------------------------------------------------------------

PICTURE_FOLDER = "products"


def product_editable_by(user: Any, product: Product) -> bool:
    """The producer's members and the officers of its place may edit a product's own page."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm("catalog.change_product", product)


def product_moderated_by(user: Any, product: Product) -> bool:
    """Officers of the product's place (never the producer itself) may hide what the producer published."""
    from ocop.accounts.permissions import is_officer

    return is_officer(user) and product_editable_by(user, product)


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise ApplicationError(message, code="forbidden")


def product_locked_fields(product: Product) -> set[str]:
    """What a certificate states cannot be changed on the product's page: the name as certified, its group."""
    return {"name", "category"} if product.certificate_status else set()


@transaction.atomic
def product_page_update(*, product: Product, by: Any, **fields: Any) -> Product:
    """The producer's (or an officer's) edit of the product's own page; certified facts stay as certified."""
    _refuse_unless(product_editable_by(by, product), _("You cannot edit this product's page."))
    locked = product_locked_fields(product) & {key for key, value in fields.items() if value != getattr(product, key)}
    if locked:
        raise ApplicationError(
            _("The name and group are stated by the product's certificate and cannot be changed here."),
            code="locked", field=sorted(locked)[0],
        )  # fmt: skip
    return product_update(product=product, by=by, **fields)


@transaction.atomic
def product_picture_add(*, product: Product, by: Any, upload: Any, caption: str = "") -> ProductImage:
    """Add a photo (checked, EXIF stripped, resized to every width); the first photo becomes the cover."""
    _refuse_unless(product_editable_by(by, product), _("You cannot edit this product's page."))
    Product.objects.select_for_update().filter(pk=product.pk).first()  # one upload at a time per product
    count = product.images.count()
    if count >= ProductImage.MAX_PER_PRODUCT:
        raise ApplicationError(
            _("A product has at most %(max)s photos; remove one before adding another.")
            % {"max": ProductImage.MAX_PER_PRODUCT},
            field="upload", code="too_many",
        )  # fmt: skip
    image = product_picture_store(product=product, upload=upload, caption=caption)
    audit_log(code="catalog.picture.added", obj=product, actor=by, changes={"photo": [None, image.pk]})
    catalog_changed()
    return image


def product_picture_store(*, product: Product, upload: Any, caption: str = "") -> ProductImage:
    """Write a photo's renditions and its row after the last photo (no permission check: callers decide)."""
    made = picture_renditions(upload, folder=PICTURE_FOLDER)
    try:
        top = product.images.aggregate(top=models.Max("position"))["top"]
        image = ProductImage(product=product, caption=plain_text(caption)[:200], position=0 if top is None else top + 1,
                             width=made.width, height=made.height, renditions=made.files)  # fmt: skip
        image.image.name = made.largest_jpeg
        image.full_clean()
        image.save()
    except BaseException:
        pictures_delete(made.names())
        raise
    product_cover_refresh(product)
    return image


def _picture_of(product: Product, picture_id: int) -> ProductImage:
    image = product.images.filter(pk=picture_id).first()
    if image is None:
        raise ApplicationError(_("This photo is no longer on the product's page."), code="gone")
    return image


def _renumber(product: Product, ordered: list[ProductImage]) -> None:
    for position, image in enumerate(ordered):
        image.position = position
    ProductImage.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def product_picture_remove(*, product: Product, by: Any, picture_id: int) -> None:
    _refuse_unless(product_editable_by(by, product), _("You cannot edit this product's page."))
    image = _picture_of(product, picture_id)
    names = list({image.image.name, *(n for pair in image.renditions.values() for n in pair.values())})
    image.delete()
    _renumber(product, list(product.images.all()))
    product_cover_refresh(product)
    audit_log(code="catalog.picture.removed", obj=product, actor=by, changes={"photo": [picture_id, None]})
    transaction.on_commit(lambda: pictures_delete(names))
    catalog_changed()


@transaction.atomic
def product_picture_move(*, product: Product, by: Any, picture_id: int, to: str) -> None:
    """Move a photo one place up or down, or to the front ("cover")."""
    _refuse_unless(product_editable_by(by, product), _("You cannot edit this product's page."))
    ordered = list(product.images.select_for_update())
    image = _picture_of(product, picture_id)
    index = next(i for i, item in enumerate(ordered) if item.pk == image.pk)
    moved = ordered.pop(index)
    target = {"cover": 0, "up": max(index - 1, 0), "down": min(index + 1, len(ordered))}.get(to)
    if target is None:
        raise ApplicationError(_("Unknown move."), code="invalid")
    ordered.insert(target, moved)
    _renumber(product, ordered)
    product_cover_refresh(product)
    audit_log(code="catalog.picture.moved", obj=product, actor=by, changes={"photo": [index + 1, target + 1]})
    catalog_changed()


@transaction.atomic
def product_picture_hide(*, product: Product, by: Any, picture_id: int, hidden: bool, reason: str = "") -> None:
    _refuse_unless(product_moderated_by(by, product), _("Only the officers of the product's place hide content."))
    image = _picture_of(product, picture_id)
    if image.hidden != hidden:
        image.hidden = hidden
        image.save(update_fields=["hidden"])
        product_cover_refresh(product)
        audit_log(code="catalog.picture.hidden" if hidden else "catalog.picture.shown", obj=product, actor=by,
                  reason=plain_text(reason)[:500])  # fmt: skip
        catalog_changed()


@transaction.atomic
def product_text_hide(*, product: Product, by: Any, hidden: bool, reason: str = "") -> None:
    _refuse_unless(product_moderated_by(by, product), _("Only the officers of the product's place hide content."))
    if product.text_hidden != hidden:
        product.text_hidden = hidden
        product.save(update_fields=["text_hidden"])
        audit_log(code="catalog.product.text_hidden" if hidden else "catalog.product.text_shown", obj=product,
                  actor=by, reason=plain_text(reason)[:500])  # fmt: skip
        catalog_changed()


def product_cover_refresh(product: Product) -> None:
    """Copy the first shown photo's renditions onto the product (cards draw it without another query)."""
    first = product.images.filter(hidden=False).order_by("position", "id").first()
    product.cover = first.picture if first is not None else {}
    Product.objects.filter(pk=product.pk).update(cover=product.cover)
