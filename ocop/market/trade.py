"""Trade connection services: inquiries and their threads, buyer demands and offers, fair booths, promotion
material. Each state change checks who may make it, locks what can race, writes an audit entry and tells
the other side by e-mail (through Django's e-mail backend, after the transaction commits).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.accounts.permissions import acts_for, manages_province, role_of
from ocop.catalog.models import Product
from ocop.core.errors import ApplicationError
from ocop.core.flood import flood_take
from ocop.core.mail import mail_queue, site_link
from ocop.core.notifications import notify
from ocop.core.services import audit_log
from ocop.core.text import plain_text
from ocop.market.models import (
    BoothBooking,
    BoothType,
    BuyerDemand,
    DemandOffer,
    Fair,
    Inquiry,
    InquiryMessage,
    PromotionMaterial,
)
from ocop.producers.models import Producer


# Flood limits: an address or an account may send this many inquiries in the window.
def _limits() -> list[tuple[dt.timedelta, int]]:
    per_10_minutes, per_day = settings.OCOP_INQUIRY_LIMITS
    return [(dt.timedelta(minutes=10), per_10_minutes), (dt.timedelta(days=1), per_day)]


ACCOUNT_LIMIT = (dt.timedelta(hours=1), 15)
THREAD_SALT = "market.inquiry.thread"
BROCHURE_MAX_BYTES = 10 * 1024 * 1024


clean_text = plain_text  # user text as stored: markup removed, NFC, trimmed


def _tell_producer(producer: Producer, *, title: str, link: str, mail: tuple[str, dict[str, Any]]) -> None:
    """The producer's accounts (in-app, and by e-mail as each chose) and its own contact address (e-mail)."""
    members = User.objects.filter(memberships__producer=producer, is_active=True)
    notify(members, kind="trade", title=title, link=link, mail=mail, also_to=[producer.email] if producer.email else [])


# --- Inquiries -------------------------------------------------------------------------------------


def inquiry_thread_token(inquiry: Inquiry) -> str:
    """The signed part of a visitor's link to their own thread (no account needed, no other thread readable)."""
    return signing.dumps(inquiry.pk, salt=THREAD_SALT, compress=True)


def inquiry_from_token(token: str) -> Inquiry | None:
    try:
        pk = signing.loads(token, salt=THREAD_SALT)
    except signing.BadSignature:
        return None
    return Inquiry.objects.filter(pk=pk).select_related("product", "producer").first()


def _check_flood(*, ip: str | None, buyer: Any) -> None:
    """Count this inquiry against the limits of its address and account, atomically (`core.flood`): twelve
    concurrent sends with a limit of five pass five times. Inside the send's transaction: a send refused for
    another reason is not counted."""
    if ip:
        for window, limit in _limits():
            if not flood_take(f"inquiry:ip:{ip}:{int(window.total_seconds())}", limit=limit, window=window):
                raise ApplicationError(
                    _("Too many inquiries from your connection: please wait a while before sending another."),
                    code="throttled",
                )
    if getattr(buyer, "is_authenticated", False):
        window, limit = ACCOUNT_LIMIT
        if not flood_take(f"inquiry:user:{buyer.pk}", limit=limit, window=window):
            raise ApplicationError(
                _("You have sent many inquiries in the last hour: please wait before sending more."), code="throttled"
            )


@transaction.atomic
def inquiry_send(*, product: Product, buyer: Any = None, ip: str | None = None, **fields: Any) -> Inquiry:
    """A buyer (signed in, or a visitor leaving contact details) asks a producer for a quote."""
    if product.status == Product.Status.DRAFT:
        raise ApplicationError(_("This product is not in the catalog."), code="not_found")
    _check_flood(ip=ip, buyer=buyer)
    for key in ("name", "organisation", "phone", "unit"):
        fields[key] = clean_text(fields.get(key, ""))
    fields["message"] = clean_text(fields.get("message", ""), multiline=True)
    if not fields["message"]:
        raise ApplicationError(_("Write a message to the producer."), field="message")
    producer = product.producer
    inquiry = Inquiry(
        product=product, producer=producer, province_id=producer.province_id,
        buyer=buyer if getattr(buyer, "is_authenticated", False) else None, ip_address=ip, **fields,
    )  # fmt: skip
    inquiry.full_clean()
    inquiry.save()
    InquiryMessage.objects.create(inquiry=inquiry, author=inquiry.buyer, body=inquiry.message)
    audit_log(code="market.inquiry.sent", obj=inquiry, actor=buyer, ip_address=ip)
    amount: int | Decimal = inquiry.quantity
    amount = int(amount) if amount == int(amount) else amount
    with translation.override("vi"):  # the e-mail's language: 1.500 or 2,5
        quantity = number_format(amount, force_grouping=True)
    link = reverse("market:inquiry-detail", args=[inquiry.pk])
    _tell_producer(producer, link=link,
                   title=_("An inquiry about “%(product)s” from %(name)s.") % {"product": product.name,
                                                                               "name": inquiry.name},
                   mail=("inquiry_received",
                         {"product": product.name, "name": inquiry.name, "organisation": inquiry.organisation or "—",
                          "quantity": quantity, "unit": inquiry.unit, "message": inquiry.message,
                          "link": site_link(link)}))  # fmt: skip
    if inquiry.email:
        thread = site_link(reverse("market:inquiry-visitor", args=[inquiry_thread_token(inquiry)]))
        mail_queue(
            "inquiry_sent", {"product": product.name, "producer": producer.name, "link": thread}, [inquiry.email]
        )
    return inquiry


def inquiry_may_read(user: Any, inquiry: Inquiry) -> bool:
    """The buyer, the producer's members, and the trade-promotion centre of the producer's province."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        inquiry.buyer_id == user.pk
        or acts_for(user, inquiry.producer_id)
        or manages_province(user, inquiry.province_id)
    )


@transaction.atomic
def inquiry_reply(*, inquiry: Inquiry, body: str, by: Any = None, as_visitor: bool = False) -> InquiryMessage:
    """Add a message to the thread: the producer's members, the buyer, or the visitor through their link."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    from_producer = not as_visitor and acts_for(by, inquiry.producer_id)
    from_buyer = as_visitor or (getattr(by, "is_authenticated", False) and inquiry.buyer_id == by.pk)
    if not (from_producer or from_buyer):
        raise ApplicationError(_("Only the buyer and the producer write in this thread."), code="forbidden")
    text = clean_text(body, multiline=True)
    if not text:
        raise ApplicationError(_("The message is empty."), field="body")
    if len(text) > 2000:
        raise ApplicationError(_("A message has at most 2,000 characters."), field="body")
    message = InquiryMessage.objects.create(
        inquiry=inquiry, author=by if getattr(by, "is_authenticated", False) else None,
        from_producer=from_producer, body=text,
    )  # fmt: skip
    if from_producer and inquiry.status == Inquiry.Status.OPEN:
        inquiry.status = Inquiry.Status.REPLIED
        inquiry.save(update_fields=["status", "updated_at"])
    audit_log(code="market.inquiry.replied", obj=inquiry, actor=by)
    if from_producer and inquiry.buyer is not None:  # a signed-in buyer: the centre, and e-mail as they chose
        link = reverse("market:inquiry-detail", args=[inquiry.pk])
        notify([inquiry.buyer], kind="trade", link=link,
               title=_("%(producer)s answered your inquiry.") % {"producer": inquiry.producer.name},
               mail=("inquiry_replied", {"producer": inquiry.producer.name, "text": text, "link": site_link(link)}),
               also_to=[inquiry.email] if inquiry.email and inquiry.email != inquiry.buyer.email else [])  # fmt: skip
    elif from_producer:  # a visitor: their e-mail with the thread's signed link
        link = reverse("market:inquiry-visitor", args=[inquiry_thread_token(inquiry)])
        mail_queue("inquiry_replied", {"producer": inquiry.producer.name, "text": text, "link": site_link(link)},
                   [inquiry.email])  # fmt: skip
    else:
        link = reverse("market:inquiry-detail", args=[inquiry.pk])
        _tell_producer(inquiry.producer, link=link,
                       title=_("A new message about “%(product)s”.") % {"product": inquiry.product.name},
                       mail=("inquiry_message", {"product": inquiry.product.name, "text": text,
                                                 "link": site_link(link)}))  # fmt: skip
    return message


@transaction.atomic
def inquiry_set_outcome(*, inquiry: Inquiry, status: str, by: Any) -> Inquiry:
    """The producer records whether the inquiry became a deal."""
    if not acts_for(by, inquiry.producer_id):
        raise ApplicationError(_("Only the producer records the outcome."), code="forbidden")
    if status not in (Inquiry.Status.WON, Inquiry.Status.LOST):
        raise ApplicationError(_("Choose “deal made” or “no deal”."), field="status")
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    previous = inquiry.status
    inquiry.status = status
    inquiry.save(update_fields=["status", "updated_at"])
    audit_log(code="market.inquiry.closed", obj=inquiry, actor=by, changes={"status": [previous, status]})
    return inquiry


# --- Buyer demands and offers ----------------------------------------------------------------------


@transaction.atomic
def demand_post(*, buyer: Any, **fields: Any) -> BuyerDemand:
    """A buyer organisation posts what it wants to buy."""
    if role_of(buyer) is None:
        raise ApplicationError(_("Sign in as a buyer to post what you want to buy."), code="forbidden")
    for key in ("organisation", "title", "unit", "certifications"):
        fields[key] = clean_text(fields.get(key, ""))
    fields["description"] = clean_text(fields.get("description", ""), multiline=True)
    demand = BuyerDemand(buyer=buyer, **fields)
    demand.full_clean()
    demand.save()
    audit_log(code="market.demand.posted", obj=demand, actor=buyer)
    return demand


@transaction.atomic
def demand_close(*, demand: BuyerDemand, by: Any) -> BuyerDemand:
    if demand.buyer_id != by.pk:
        raise ApplicationError(_("Only the buyer who posted it closes a demand."), code="forbidden")
    demand.status = BuyerDemand.Status.CLOSED
    demand.save(update_fields=["status", "updated_at"])
    audit_log(code="market.demand.closed", obj=demand, actor=by)
    return demand


@transaction.atomic
def offer_make(
    *, demand: BuyerDemand, product: Product, by: Any, message: str, price: int | None = None
) -> DemandOffer:
    """A producer offers one of its certified products for an open demand."""
    if demand.status != BuyerDemand.Status.OPEN or (demand.deadline and demand.deadline < timezone.localdate()):
        raise ApplicationError(_("This demand no longer takes offers."), code="closed")
    if not acts_for(by, product.producer_id):
        raise ApplicationError(_("You can offer only your own products."), code="forbidden")
    if product.certificate_status != "valid" or (product.stars or 0) < demand.min_stars:
        raise ApplicationError(
            _("Only a product with a valid certificate of at least %(stars)s stars can be offered.")
            % {"stars": demand.min_stars},
            field="product",
        )
    if DemandOffer.objects.filter(demand=demand, product=product).exists():
        raise ApplicationError(_("You have already offered this product for this demand."), code="duplicate")
    text = clean_text(message, multiline=True)
    if not text:
        raise ApplicationError(_("Write a message to the buyer."), field="message")
    try:
        with transaction.atomic():  # two offers of the same product at once: the second is told, not a 500
            offer = DemandOffer.objects.create(
                demand=demand, producer_id=product.producer_id, product=product, price=price,
                message=text[:2000], created_by=by,
            )  # fmt: skip
    except IntegrityError:
        raise ApplicationError(_("You have already offered this product for this demand."), code="duplicate") from None
    audit_log(code="market.offer.made", obj=offer, actor=by)
    link = reverse("market:demand-detail", args=[demand.pk])
    notify([demand.buyer], kind="trade", link=link,
           title=_("%(producer)s offers “%(product)s” for “%(demand)s”.")
           % {"producer": product.producer.name, "product": product.name, "demand": demand.title},
           mail=("offer_made", {"demand": demand.title, "producer": product.producer.name, "text": text,
                                "link": site_link(link)}))  # fmt: skip
    return offer


# --- Fairs and booths ------------------------------------------------------------------------------


def manages_fair(user: Any, fair: Fair) -> bool:
    return manages_province(user, fair.province_id)


def _accept(booking: BoothBooking, booth_type: BoothType) -> bool:
    """Give the booking the lowest free booth number, if any is left (the booth type row is locked)."""
    taken = set(
        BoothBooking.objects.filter(booth_type=booth_type, status=BoothBooking.Status.ACCEPTED).values_list(
            "booth_number", flat=True
        )
    )
    free = next((n for n in range(1, booth_type.count + 1) if n not in taken), None)
    if free is None:
        return False
    booking.status, booking.booth_number = BoothBooking.Status.ACCEPTED, free
    return True


@transaction.atomic
def booth_request(*, booth_type: BoothType, producer: Producer, products: list[Product], by: Any) -> BoothBooking:
    """A producer asks for a booth to show some of its products. With first-come booking the answer is
    immediate (accepted while booths remain, otherwise the waiting list); otherwise the organiser decides."""
    if not acts_for(by, producer.pk):
        raise ApplicationError(_("You can book a booth only for your own producer."), code="forbidden")
    # Lock the booth type first: concurrent requests for the same booths queue here, so two can never
    # be given the last booth.
    booth_type = BoothType.objects.select_for_update().select_related("fair").get(pk=booth_type.pk)
    fair = booth_type.fair
    today = timezone.localdate()
    if fair.ends_on < today or (fair.registration_until and fair.registration_until < today):
        raise ApplicationError(_("Booth requests for this fair are closed."), code="closed")
    if not products or any(p.producer_id != producer.pk for p in products):
        raise ApplicationError(_("Choose at least one of your own products to show."), field="products")
    if (
        BoothBooking.objects.filter(booth_type__fair=fair, producer=producer)
        .exclude(status__in=[BoothBooking.Status.CANCELLED, BoothBooking.Status.REFUSED])
        .exists()
    ):
        raise ApplicationError(_("Your producer already has a booth request at this fair."), code="duplicate")
    booking = BoothBooking(booth_type=booth_type, producer=producer, created_by=by)
    if fair.first_come and not _accept(booking, booth_type):
        booking.status = BoothBooking.Status.WAITLISTED
    booking.save()
    booking.products.set(products)
    audit_log(code="market.booth.requested", obj=booking, actor=by, changes={"status": [None, booking.status]})
    return booking


@transaction.atomic
def booth_decide(*, booking: BoothBooking, accept: bool, by: Any) -> BoothBooking:
    """The organiser accepts (within the booths left) or refuses a request."""
    booth_type = BoothType.objects.select_for_update().select_related("fair").get(pk=booking.booth_type_id)
    if not manages_fair(by, booth_type.fair):
        raise ApplicationError(_("Only the fair's organisers decide on booths."), code="forbidden")
    booking = BoothBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == BoothBooking.Status.ACCEPTED and accept:
        return booking
    previous = booking.status
    if accept:
        if not _accept(booking, booth_type):
            raise ApplicationError(_("No booth of this type is left."), code="full")
    else:
        booking.status, booking.booth_number = BoothBooking.Status.REFUSED, None
    booking.save(update_fields=["status", "booth_number", "updated_at"])
    audit_log(code="market.booth.decided", obj=booking, actor=by, changes={"status": [previous, booking.status]})
    fair = booth_type.fair
    _tell_producer(booking.producer, link=reverse("market:fair-detail", args=[fair.pk]),
                   title=(_("Your booth at “%(fair)s” is confirmed.") if accept else
                          _("Your booth request at “%(fair)s” was not accepted.")) % {"fair": fair.name},
                   mail=("booth_decided",
                         {"accepted": accept, "fair": fair.name, "booth": booth_type.name}))  # fmt: skip
    return booking


@transaction.atomic
def booth_record_results(*, booking: BoothBooking, deals: int, sales_value: int, by: Any) -> BoothBooking:
    """After the fair, the organiser or the producer records what the booth achieved."""
    fair = booking.booth_type.fair
    if not (manages_fair(by, fair) or acts_for(by, booking.producer_id)):
        raise ApplicationError(_("Only the organisers and the producer record results."), code="forbidden")
    if fair.starts_on > timezone.localdate():
        raise ApplicationError(_("Results are recorded once the fair has started."), code="early")
    booking.deals, booking.sales_value = deals, sales_value
    booking.save(update_fields=["deals", "sales_value", "updated_at"])
    audit_log(code="market.booth.results", obj=booking, actor=by, changes={"deals": deals, "sales_value": sales_value})
    return booking


# --- Promotion material ----------------------------------------------------------------------------


@transaction.atomic
def material_add(
    *, producer: Producer, by: Any, kind: str, title: str, product: Product | None = None, url: str = "",
    upload: Any = None,
) -> PromotionMaterial:  # fmt: skip
    """A video link or a PDF brochure, checked by content (a renamed file is refused)."""
    if not (acts_for(by, producer.pk) or manages_province(by, producer.province_id)):
        raise ApplicationError(_("You can add material only for your own producer."), code="forbidden")
    if product is not None and product.producer_id != producer.pk:
        raise ApplicationError(_("This product belongs to another producer."), field="product")
    material = PromotionMaterial(producer=producer, product=product, kind=kind, title=clean_text(title))
    if kind == PromotionMaterial.Kind.VIDEO:
        if not url.startswith(("https://", "http://")):
            raise ApplicationError(_("Give the video's web address (https://…)."), field="url")
        material.url = url
    else:
        if upload is None:
            raise ApplicationError(_("Choose the brochure's PDF file."), field="upload")
        if upload.size > BROCHURE_MAX_BYTES:
            raise ApplicationError(_("A brochure is at most 10 MB."), field="upload")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise ApplicationError(_("The brochure must be a PDF file."), field="upload")
        material.file.save(f"brochure-{producer.pk}.pdf", upload, save=False)
    material.full_clean()
    material.save()
    audit_log(code="market.material.added", obj=material, actor=by)
    return material
