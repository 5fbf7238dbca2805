"""Claims: a producer account asks to act for its producer; the commune or province office decides."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.permissions import is_officer
from ocop.core.errors import ApplicationError, form_refused
from ocop.core.once import once_per_form
from ocop.producers.forms import ClaimForm, DecideForm
from ocop.producers.models import ProducerClaim
from ocop.producers.services import claim_decide, claim_start, claims_for


@require_http_methods(["GET", "POST"])
@once_per_form
def claim(request):
    """A producer account names its producer by tax code; the office of its place confirms."""
    if request.user.role != "producer":
        raise PermissionDenied(_("Only producer accounts claim a producer."))
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = claim_start(user=request.user, tax_code=data["tax_code"], name=data["name"], kind=data["kind"],
                               province=data["province"], commune=data["commune"], address=data["address"],
                               position=data["position"])  # fmt: skip
        except ApplicationError as exc:
            form_refused(form, exc)
        else:
            messages.success(request, _("Sent: the OCOP office of %(place)s checks and confirms that you act for "
                                        "%(name)s. You get an e-mail then.")
                             % {"place": made.commune or made.province, "name": made.name})  # fmt: skip
            return redirect("producers:claim")
    claims = request.user.producer_claims.select_related("province", "commune").order_by("-created_at")
    return render(request, "producers/claim.html", {"form": form, "claims": claims},
                  status=400 if form.errors else 200)  # fmt: skip


def claim_list(request):
    """The claims of the officer's area, waiting ones first."""
    if not is_officer(request.user):
        raise PermissionDenied(_("Only OCOP officers confirm producers' accounts."))
    claims = list(claims_for(request.user)[:200])
    return render(request, "producers/claim_list.html", {"claims": claims, "form": DecideForm()})


@require_POST
def claim_decide_view(request, pk: int):
    found = get_object_or_404(ProducerClaim, pk=pk)
    form = DecideForm(request.POST)
    form.is_valid()
    try:
        claim_decide(claim=found, by=request.user, confirm=request.POST.get("decision") == "confirm",
                     note=form.cleaned_data.get("note", ""))  # fmt: skip
    except ApplicationError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decided: %(name)s has been told by e-mail.") % {"name": found.user})
    return redirect("producers:claim-list")
