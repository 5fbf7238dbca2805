"""Trade connection pages: inquiries, demands and offers, fairs and booths, sale points, channels, material."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocop.accounts.models import User
from ocop.accounts.permissions import role_of
from ocop.catalog.models import Product
from ocop.core.errors import ApplicationError, form_refused
from ocop.core.exporting import export_if_asked
from ocop.core.middleware import client_ip
from ocop.core.once import once_per_form
from ocop.geo.models import Province
from ocop.market import trade
from ocop.market.exporters import (
    BoothRequestExporter,
    ContractExporter,
    DemandExporter,
    InquiryExporter,
    SalePointExporter,
)
from ocop.market.fairs import fair_save
from ocop.market.forms import (
    BoothRequestForm,
    BoothTypeFormSet,
    ChannelForm,
    ContractForm,
    DemandForm,
    FairForm,
    InquiryForm,
    MaterialForm,
    OfferForm,
    ReplyForm,
    SalePointForm,
)
from ocop.market.matching import demand_matches
from ocop.market.models import BoothBooking, BuyerDemand, Fair, Inquiry, RetailContract, SalePoint, SalesChannel
from ocop.market.sale_points import sale_point_save
from ocop.market.selectors import (
    booth_availability,
    demands_open,
    fair_participants,
    inquiries_for,
    sale_points_open,
)
from ocop.market.services import sales_channel_add, sales_channel_remove
from ocop.producers.models import Producer


def _ip(request) -> str | None:
    return client_ip(request)


# --- Inquiries -------------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
@once_per_form
def inquiry_new(request, pk: int):
    """Ask a producer for a quote on a product: signed in, or as a visitor with contact details."""
    product = get_object_or_404(Product.objects.exclude(status=Product.Status.DRAFT).select_related("producer"), pk=pk)
    form = InquiryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        try:
            inquiry = trade.inquiry_send(product=product, buyer=request.user, ip=_ip(request), **data)
        except ApplicationError as error:
            form_refused(form, error)
        else:
            messages.success(request, _("Your inquiry was sent to %(producer)s.") % {"producer": product.producer.name})
            if request.user.is_authenticated:
                return redirect("market:inquiry-detail", pk=inquiry.pk)
            return redirect("market:inquiry-visitor", token=trade.inquiry_thread_token(inquiry))
    status = 400 if request.method == "POST" else 200
    return render(request, "market/inquiry_form.html", {"product": product, "form": form}, status=status)


@require_GET
def inquiry_list(request):
    """The inbox: a producer's inquiries, a buyer's own, a province's for its trade-promotion centre."""
    inquiries = inquiries_for(user=request.user)
    status = request.GET.get("trang-thai", "")
    if status in Inquiry.Status.values:
        inquiries = inquiries.filter(status=status)
    if download := export_if_asked(request, InquiryExporter, inquiries, "hoi-mua"):
        return download
    page = Paginator(inquiries, 25).get_page(request.GET.get("page"))
    return render(request, "market/inquiry_list.html", {"page": page, "statuses": Inquiry.Status.choices,
                                                        "status": status})  # fmt: skip


def _thread(request, inquiry: Inquiry, *, as_visitor: bool, post_url: str):
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trade.inquiry_reply(inquiry=inquiry, body=form.cleaned_data["body"], by=request.user, as_visitor=as_visitor)
        except ApplicationError as error:
            if error.code == "forbidden":
                raise PermissionDenied(error.message) from error
            form_refused(form, error)
        else:
            return redirect(post_url)
    context = {
        "inquiry": inquiry, "form": form, "post_url": post_url, "as_visitor": as_visitor,
        "thread": inquiry.messages.select_related("author"),
        "is_producer": not as_visitor and trade.acts_for(request.user, inquiry.producer_id),
        "may_write": as_visitor or trade.acts_for(request.user, inquiry.producer_id)
        or (request.user.is_authenticated and inquiry.buyer_id == request.user.pk),
    }  # fmt: skip
    return render(request, "market/inquiry_detail.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def inquiry_detail(request, pk: int):
    """A thread, for the buyer, the producer's members and the province's officers."""
    inquiry = get_object_or_404(Inquiry.objects.select_related("product", "producer", "buyer"), pk=pk)
    if not trade.inquiry_may_read(request.user, inquiry):
        raise Http404
    return _thread(request, inquiry, as_visitor=False, post_url=reverse("market:inquiry-detail", args=[pk]))


@login_not_required
@require_http_methods(["GET", "POST"])
def inquiry_visitor(request, token: str):
    """A visitor's own thread, through the signed link they were given (no other thread is reachable)."""
    inquiry = trade.inquiry_from_token(token)
    if inquiry is None:
        raise Http404
    return _thread(request, inquiry, as_visitor=True, post_url=reverse("market:inquiry-visitor", args=[token]))


@require_POST
def inquiry_outcome(request, pk: int):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    try:
        trade.inquiry_set_outcome(inquiry=inquiry, status=request.POST.get("status", ""), by=request.user)
    except ApplicationError as error:
        if error.code == "forbidden":
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    return redirect("market:inquiry-detail", pk=pk)


# --- Demands and offers ----------------------------------------------------------------------------


@login_not_required
@require_GET
def demand_list(request):
    """Open demands ("cần mua"), and a buyer's own."""
    own = BuyerDemand.objects.filter(buyer_id=request.user.pk) if request.user.is_authenticated else None
    if download := export_if_asked(request, DemandExporter, demands_open(), "can-mua"):
        return download
    page = Paginator(demands_open(), 25).get_page(request.GET.get("page"))
    return render(request, "market/demand_list.html", {"page": page, "own": own})


@require_http_methods(["GET", "POST"])
@once_per_form
def demand_new(request):
    """A buyer posts what it wants to buy, then sees the matching products."""
    form = DemandForm(request.POST or None, initial={"organisation": request.user.organisation})
    if request.method == "POST" and form.is_valid():
        try:
            demand = trade.demand_post(buyer=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_refused(form, error)
        else:
            messages.success(request, _("Your demand is posted. These are the products that match it best."))
            return redirect("market:demand-detail", pk=demand.pk)
    return render(request, "market/demand_form.html", {"form": form}, status=400 if form.errors else 200)


@login_not_required
@require_http_methods(["GET", "POST"])
@once_per_form
def demand_detail(request, pk: int):
    """A demand, its best matching products with the reasons, and the offers (the buyer's view) or the
    offer form (a producer's view)."""
    demand = get_object_or_404(BuyerDemand.objects.select_related("category", "delivery_province", "buyer"), pk=pk)
    is_buyer = request.user.is_authenticated and demand.buyer_id == request.user.pk
    own_products = Product.objects.none()
    if role_of(request.user) == User.Role.PRODUCER:
        own_products = Product.objects.filter(producer__memberships__user=request.user, certificate_status="valid")
    form = OfferForm(request.POST or None, products=own_products)
    if request.method == "POST":
        if not own_products.exists():
            raise PermissionDenied(_("Offers are made by producers with a certified product."))
        if form.is_valid():
            try:
                trade.offer_make(demand=demand, product=form.cleaned_data["product"], by=request.user,
                                 message=form.cleaned_data["message"], price=form.cleaned_data["price"])  # fmt: skip
            except ApplicationError as error:
                form_refused(form, error)
            else:
                messages.success(request, _("Your offer was sent to the buyer."))
                return redirect("market:demand-detail", pk=pk)
    offers = demand.offers.select_related("product", "producer") if is_buyer else []
    context = {
        "demand": demand, "matches": demand_matches(demand=demand, limit=10), "is_buyer": is_buyer,
        "offers": offers, "form": form if own_products.exists() else None,
    }  # fmt: skip
    return render(request, "market/demand_detail.html", context, status=400 if form.errors else 200)


@require_POST
def demand_close_view(request, pk: int):
    demand = get_object_or_404(BuyerDemand, pk=pk)
    try:
        trade.demand_close(demand=demand, by=request.user)
    except ApplicationError as error:
        raise PermissionDenied(error.message) from error
    return redirect("market:demand-detail", pk=pk)


# --- Fairs -----------------------------------------------------------------------------------------


@login_not_required
@require_GET
def fair_list(request):
    today = timezone.localdate()
    fairs = Fair.objects.select_related("province")
    organiser = request.user.is_authenticated and trade.manages_province(request.user, request.user.province_id)
    return render(request, "market/fair_list.html", {
        "organiser": organiser,
        "upcoming": fairs.filter(ends_on__gte=today).order_by("starts_on"),
        "past": fairs.filter(ends_on__lt=today).order_by("-starts_on")[:50],
    })  # fmt: skip


@login_not_required
@require_http_methods(["GET", "POST"])
@once_per_form
def fair_detail(request, pk: int):
    """A fair: booths left, the participating producers and products, a producer's booth request, the
    organiser's decisions, and (afterwards) the results."""
    fair = get_object_or_404(Fair.objects.select_related("province"), pk=pk)
    producers = Producer.objects.filter(memberships__user_id=request.user.pk) if request.user.is_authenticated else None
    form = None
    if producers is not None and producers.exists():
        products = Product.objects.filter(producer__in=producers).exclude(status=Product.Status.DRAFT)
        form = BoothRequestForm(request.POST or None, fair=fair, producers=producers, products=products)
        if request.method == "POST" and form.is_valid():
            try:
                booking = trade.booth_request(
                    booth_type=form.cleaned_data["booth_type"], producer=form.cleaned_data["producer"],
                    products=list(form.cleaned_data["products"]), by=request.user,
                )  # fmt: skip
            except ApplicationError as error:
                form_refused(form, error)
            else:
                messages.success(request, _("Booth request recorded: %(status)s.") % {
                    "status": booking.get_status_display()})  # fmt: skip
                return redirect("market:fair-detail", pk=pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Booths are requested by producers."))
    organiser = trade.manages_fair(request.user, fair)
    requests = (
        BoothBooking.objects.filter(booth_type__fair=fair).select_related("producer", "booth_type")
        .prefetch_related("products").order_by("created_at")
    ) if organiser else BoothBooking.objects.none()  # fmt: skip
    if organiser and (download := export_if_asked(request, BoothRequestExporter, requests, f"gian-hang-{fair.pk}")):
        return download
    context = {
        "fair": fair, "availability": booth_availability(fair=fair), "participants": fair_participants(fair=fair),
        "started": fair.starts_on <= timezone.localdate(),
        "form": form, "organiser": organiser, "requests": requests,
        "own": BoothBooking.objects.filter(booth_type__fair=fair, producer__in=producers).select_related("booth_type")
        if producers is not None else [],
    }  # fmt: skip
    return render(request, "market/fair_detail.html", context, status=400 if form is not None and form.errors else 200)


@require_POST
def booth_decide(request, pk: int):
    booking = get_object_or_404(BoothBooking.objects.select_related("booth_type__fair"), pk=pk)
    try:
        trade.booth_decide(booking=booking, accept=request.POST.get("accept") == "1", by=request.user)
    except ApplicationError as error:
        if error.code == "forbidden":
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    return redirect("market:fair-detail", pk=booking.booth_type.fair_id)


# --- Sale points -----------------------------------------------------------------------------------


@login_not_required
@require_GET
def sale_point_list(request):
    """Display-and-sale points open today, by province, as a list and (where tiles load) on a map."""
    today = timezone.localdate()
    points = sale_points_open(on=today).select_related("province", "commune").order_by("province__sort_key", "name")
    province = Province.objects.filter(code=request.GET.get("tinh", "")).first()
    if province:
        points = points.filter(province=province)
    if download := export_if_asked(request, SalePointExporter, points, "diem-ban-ocop"):
        return download
    shown = list(points[:500])
    from ocop.accounts.permissions import is_central, is_province_officer

    context = {
        "organiser": is_central(request.user) or is_province_officer(request.user),
        "organises_all": is_central(request.user),
        "points": shown, "province": province, "provinces": Province.objects.order_by("sort_key"),
        "map_tiles": settings.OCOP_MAP_TILE_URL,
        "markers": [{"name": p.name, "lat": p.lat, "lon": p.lon, "address": f"{p.address}, {p.commune.name}"}
                    for p in shown if p.lat is not None and p.lon is not None],
    }  # fmt: skip
    return render(request, "market/sale_point_list.html", context)


# --- A product's channels and material -------------------------------------------------------------


def _product_for_editor(request, pk: int) -> Product:
    product = get_object_or_404(Product.objects.select_related("producer"), pk=pk)
    if not (trade.acts_for(request.user, product.producer_id)
            or trade.manages_province(request.user, product.producer.province_id)):  # fmt: skip
        raise PermissionDenied(_("Only the producer and its province's officers manage this product's sales."))
    return product


@require_http_methods(["GET", "POST"])
@once_per_form
def product_sales(request, pk: int):
    """Where a product is sold (platforms, retail contracts, export) and its promotion material."""
    product = _product_for_editor(request, pk)
    channel_form = ChannelForm(request.POST if "channel" in request.POST else None)
    material_form = MaterialForm(request.POST if "material" in request.POST else None, request.FILES or None)
    if request.method == "POST" and "channel" in request.POST and channel_form.is_valid():
        sales_channel_add(product=product, by=request.user, **channel_form.cleaned_data)
        messages.success(request, _("The sales channel was added."))
        return redirect("market:product-sales", pk=pk)
    if request.method == "POST" and "material" in request.POST and material_form.is_valid():
        data = material_form.cleaned_data
        try:
            trade.material_add(producer=product.producer, product=product, by=request.user, kind=data["kind"],
                               title=data["title"], url=data.get("url") or "", upload=data.get("upload"))  # fmt: skip
        except ApplicationError as error:
            form_refused(material_form, error)
        else:
            messages.success(request, _("The material was added."))
            return redirect("market:product-sales", pk=pk)
    context = {
        "product": product, "channel_form": channel_form, "material_form": material_form,
        "channels": product.sales_channels.all(), "materials": product.materials.all(),
    }  # fmt: skip
    invalid = channel_form.errors or material_form.errors
    return render(request, "market/product_sales.html", context, status=400 if invalid else 200)


@require_POST
def channel_remove(request, pk: int):
    channel = get_object_or_404(SalesChannel.objects.select_related("product"), pk=pk)
    _product_for_editor(request, channel.product_id)
    sales_channel_remove(channel=channel, by=request.user)
    return redirect("market:product-sales", pk=channel.product_id)


@require_POST
def booth_results(request, pk: int):
    """After the fair: the deals and sales a booth made (the organisers or the producer record them)."""
    booking = get_object_or_404(BoothBooking.objects.select_related("booth_type__fair", "producer"), pk=pk)
    fair = booking.booth_type.fair
    if not (trade.manages_fair(request.user, fair) or trade.acts_for(request.user, booking.producer_id)):
        raise PermissionDenied(_("Only the organisers and the producer record results."))
    try:
        deals = int(request.POST.get("deals", ""))
        sales = int(request.POST.get("sales_value", "") or 0)
        if deals < 0 or sales < 0:
            raise ValueError
    except ValueError:
        messages.error(request, _("Give the number of deals and the sales in VND as whole numbers (0 or more)."))
        return redirect("market:fair-detail", pk=fair.pk)
    try:
        trade.booth_record_results(booking=booking, deals=deals, sales_value=sales, by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booth's results are recorded."))
    return redirect("market:fair-detail", pk=fair.pk)


def _organised_provinces(user):
    """The provinces whose fairs the user organises: all for the central office, its own for a province officer."""
    from ocop.accounts.permissions import is_central, is_province_officer

    provinces = Province.objects.order_by("sort_key")
    if is_central(user):
        return provinces
    return provinces.filter(pk=user.province_id or 0) if is_province_officer(user) else provinces.none()


@require_http_methods(["GET", "POST"])
@once_per_form
def fair_edit(request, pk: int | None = None):
    """The trade-promotion office announces a fair (or changes it) with its booth types and prices."""
    fair = get_object_or_404(Fair.objects.select_related("province"), pk=pk) if pk else None
    if fair is not None and not trade.manages_fair(request.user, fair):
        raise PermissionDenied(_("Only the trade-promotion office of the fair's province organises it."))
    provinces = _organised_provinces(request.user)
    if not provinces.exists():
        raise PermissionDenied(_("Fairs are organised by the provinces' trade-promotion offices."))
    form = FairForm(request.POST or None, instance=Fair.objects.get(pk=fair.pk) if fair else None,
                    provinces=provinces)  # fmt: skip
    initial = [{"id": t.pk, "name": t.name, "count": t.count, "price": t.price}
               for t in (fair.booth_types.order_by("pk") if fair else [])]  # fmt: skip
    booths = BoothTypeFormSet(request.POST or None, initial=initial, prefix="booth")
    if request.method == "POST" and form.is_valid() and booths.is_valid():
        rows = [row for row in booths.cleaned_data if row.get("name")]
        fields = {key: form.cleaned_data.get(key) for key in form.Meta.fields}
        try:
            saved = fair_save(by=request.user, fair=fair, booths=rows, **fields)
        except ApplicationError as error:
            if error.code == "forbidden":
                raise PermissionDenied(error.message) from None
            form_refused(form, error)
        else:
            messages.success(request, _("The fair is saved; producers request booths on its page."))
            return redirect("market:fair-detail", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "market/fair_form.html", {"form": form, "booths": booths, "fair": fair}, status=status)


@require_http_methods(["GET", "POST"])
@once_per_form
def sale_point_edit(request, pk: int | None = None):
    """The trade-promotion office records a display-and-sale point (or changes it): place, hours, map position,
    the province's certified products on its shelves."""
    point = get_object_or_404(SalePoint.objects.select_related("province"), pk=pk) if pk else None
    if point is not None and not trade.manages_province(request.user, point.province_id):
        raise PermissionDenied(_("Only the trade-promotion office of the point's province manages it."))
    provinces = _organised_provinces(request.user)
    if not provinces.exists():
        raise PermissionDenied(_("Sale points are managed by the provinces' trade-promotion offices."))
    form = SalePointForm(request.POST or None, instance=SalePoint.objects.get(pk=point.pk) if point else None,
                         provinces=provinces)  # fmt: skip
    if request.method == "POST" and request.POST.get("action") == "save" and form.is_valid():
        fields = {key: form.cleaned_data.get(key) for key in form.Meta.fields if key != "products"}
        try:
            saved = sale_point_save(by=request.user, point=point, products=list(form.cleaned_data["products"]),
                                    **fields)  # fmt: skip
        except ApplicationError as error:
            if error.code == "forbidden":
                raise PermissionDenied(error.message) from None
            form_refused(form, error)
        else:
            messages.success(request, _("The sale point is saved; it shows on the public list and map."))
            return redirect(f"{reverse('market:sale-point-list')}?tinh={saved.province.code}")
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "market/sale_point_form.html", {"form": form, "point": point}, status=status)


# --- Retail contracts ------------------------------------------------------------------------------


@require_GET
def contract_list(request):
    """The retail-contract pipeline the user follows: counts and value per stage, then the contracts."""
    from ocop.market.contracts import contracts_filter, contracts_for, pipeline

    mine = contracts_for(request.user)
    stage, query = request.GET.get("giai-doan", ""), (request.GET.get("q") or "").strip()[:100]
    contracts = contracts_filter(mine, stage=stage, query=query).order_by("-updated_at", "-pk")
    if download := export_if_asked(request, ContractExporter, contracts, "hop-dong-ban-le"):
        return download
    page = Paginator(contracts, 50).get_page(request.GET.get("page"))
    context = {
        "page": page, "stages": pipeline(mine), "stage": stage, "query": query,
        "organiser": _organised_provinces(request.user).exists(),
    }  # fmt: skip
    return render(request, "market/contract_list.html", context)


@require_http_methods(["GET", "POST"])
@once_per_form
def contract_edit(request, pk: int | None = None):
    """The trade-promotion office records a contract with a retail chain, or moves it to its next stage."""
    from ocop.market.contracts import contract_save, contracts_for

    contract = get_object_or_404(contracts_for(request.user), pk=pk) if pk else None
    provinces = _organised_provinces(request.user)
    if not provinces.exists() or (contract is not None and not trade.manages_province(
            request.user, contract.product.province_id)):  # fmt: skip
        raise PermissionDenied(_("Retail contracts are recorded by the provinces' trade-promotion offices."))
    form = ContractForm(request.POST or None, instance=RetailContract.objects.get(pk=contract.pk) if contract else None,
                        provinces=provinces, initial={"product": request.GET.get("san-pham")})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            contract_save(by=request.user, contract=contract, **form.cleaned_data)
        except ApplicationError as error:
            if error.code == "forbidden":
                raise PermissionDenied(error.message) from None
            form_refused(form, error)
        except ValidationError as error:
            form_refused(form, error)
        else:
            messages.success(
                request,
                _("The contract is saved: %(chain)s, %(stage)s.")
                % {
                    "chain": form.cleaned_data["chain"],
                    "stage": RetailContract.Stage(form.cleaned_data["stage"]).label,
                },
            )
            return redirect("market:contract-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "market/contract_form.html", {"form": form, "contract": contract}, status=status)
