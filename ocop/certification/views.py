import io

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ocop.certification.selectors import certificate_find, certificate_get_by_code, certificate_verify


def _verification_url(request, code: str) -> str:
    path = reverse("certification:verify-detail", args=[code])
    base = settings.OCOP_SITE_URL
    return f"{base}{path}" if base else request.build_absolute_uri(path)


@login_not_required
@require_GET
def verify_form(request):
    """Type a certificate number or code (or scan the QR code) to check a certificate."""
    text = request.GET.get("q", "").strip()
    if text:
        certificate = certificate_find(text=text)
        if certificate is not None:
            return redirect("certification:verify-detail", code=certificate.verification_code)
        return render(request, "certification/verify_form.html", {"q": text[:100], "not_found": True}, status=404)
    return render(request, "certification/verify_form.html", {"q": ""})


@login_not_required
@require_GET
def verify_detail(request, code: str):
    """VALID (green), EXPIRED (amber) or REVOKED (red), with the product, producer and stars."""
    certificate = certificate_get_by_code(code=code)
    if certificate is None:
        return render(request, "certification/verify_form.html", {"q": code[:100], "not_found": True}, status=404)
    verification = certificate_verify(certificate=certificate)
    context = {
        "verification": verification, "certificate": certificate, "product": certificate.product,
        "can_download": request.user.is_authenticated
        and request.user.has_perm("certification.download_certificate", certificate),
        "can_revoke": request.user.is_authenticated
        and request.user.has_perm("certification.revoke_certificate", certificate),
    }  # fmt: skip
    response = render(request, "certification/verify_detail.html", context)
    if request.user.is_authenticated:
        add_never_cache_headers(response)  # officers' links, and a revocation they just made, are never stale
    else:
        patch_cache_control(response, max_age=60)
    return response


@login_not_required
@require_GET
@cache_control(max_age=60)
def verify_json(request, code: str):
    """The verification as JSON, for apps that scan the QR code."""
    certificate = certificate_get_by_code(code=code)
    if certificate is None:
        return JsonResponse({"detail": _("No certificate has this code."), "code": "not_found"}, status=404)
    return JsonResponse(verification_data(request, certificate), json_dumps_params={"ensure_ascii": False})


def verification_data(request, certificate) -> dict:
    """What the verification says, as plain data: the JSON twin of the page and the API's answer."""
    verification = certificate_verify(certificate=certificate)
    product = certificate.product
    return {
        "status": verification.status,
        "checked_on": verification.checked_on.isoformat(),
        "certificate": {
            "number": certificate.number,
            "verification_code": certificate.verification_code,
            "stars": certificate.stars,
            "score": str(certificate.score) if certificate.score is not None else None,
            "issuer": certificate.issuer,
            "decision_number": certificate.decision_number,
            "issued_on": certificate.issued_on.isoformat(),
            "expires_on": certificate.expires_on.isoformat(),
            "revoked_on": certificate.revoked_on.isoformat() if certificate.revoked_on else None,
            "revocation_decision": certificate.revocation_decision or None,
            "revocation_reason": certificate.revocation_reason or None,
        },
        "product": {
            "id": product.pk,
            "name": product.name,
            "url": request.build_absolute_uri(product_url(product)),
        },
        "producer": {"name": product.producer.name, "province": product.producer.province.name},
        "verification_url": _verification_url(request, certificate.verification_code),
    }


def product_url(product) -> str:
    return reverse("site:product-detail", args=[product.pk, product.slug])


@login_not_required
@require_GET
@cache_control(max_age=86400)
def verify_qr(request, code: str, fmt: str):
    """The QR code of a certificate's verification page, as SVG or PNG, for labels and certificates."""
    certificate = certificate_get_by_code(code=code)
    if certificate is None:
        raise Http404
    qr = segno.make(_verification_url(request, certificate.verification_code), error="m")
    buffer = io.BytesIO()
    if fmt == "svg":
        qr.save(buffer, kind="svg", scale=6, border=2, xmldecl=False)
    else:
        qr.save(buffer, kind="png", scale=8, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml" if fmt == "svg" else "image/png")


def certificate_download(request, code: str):
    """The certificate PDF, for the producer's own accounts and the officers of its place."""
    from django.core.exceptions import PermissionDenied

    from ocop.certification.pdf import certificate_pdf

    certificate = certificate_get_by_code(code=code)
    if certificate is None:
        raise Http404
    if not request.user.has_perm("certification.download_certificate", certificate):
        raise PermissionDenied(_("Only the producer and the officers of its province can download this certificate."))
    content = certificate_pdf(certificate, _verification_url(request, certificate.verification_code))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


class RevokeForm(forms.Form):
    decision_number = forms.CharField(label=gettext_lazy("Revocation decision number"), max_length=40)
    revoked_on = forms.DateField(
        label=gettext_lazy("Revoked on"), widget=forms.DateInput(attrs={"placeholder": "26/09/2023"})
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


def certificate_revoke_view(request, code: str):
    """An officer of the certifying level revokes a certificate by a decision, with its reason."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied

    from ocop.certification.services import certificate_revoke
    from ocop.core.errors import ApplicationError, form_refused

    certificate = certificate_get_by_code(code=code)
    if certificate is None:
        raise Http404
    if not request.user.has_perm("certification.revoke_certificate", certificate):
        raise PermissionDenied(_("Only the officers of the certifying province or the central office can revoke it."))
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(certificate=certificate, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_refused(form, exc)
        else:
            messages.success(request, _("The certificate is revoked; its verification page says so now."))
            return redirect("certification:verify-detail", code=certificate.verification_code)
    return render(request, "certification/certificate_revoke.html", {"form": form, "certificate": certificate})


def _days(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and 1 <= int(value) <= 730 else default


@login_required
def certificates_expiring_list(request):
    """Certificates expiring within a window (90 days unless chosen): time to prepare the re-evaluation. Officers
    remind every producer on the list at once and export it."""
    from django.contrib import messages
    from django.core.paginator import Paginator

    from ocop.accounts.permissions import is_officer
    from ocop.certification.exporters import ExpiringCertificatesExporter
    from ocop.certification.selectors import certificates_expiring
    from ocop.certification.services import certificates_remind_expiring
    from ocop.core.exporting import export_if_asked
    from ocop.core.mail import site_link

    days = _days(request.POST.get("ngay") or request.GET.get("ngay"), settings.OCOP_EXPIRY_WARNING_DAYS)
    today = timezone.localdate()
    certificates = certificates_expiring(user=request.user, today=today, within_days=days)
    officer = is_officer(request.user)
    if request.method == "POST" and officer:
        reminded = certificates_remind_expiring(today=today, within_days=days, site_url=site_link(""),
                                                among=certificates, again=True)  # fmt: skip
        messages.success(request, _("%(n)s producers' certificates were announced by e-mail and in the app.")
                         % {"n": reminded})  # fmt: skip
        return redirect(f"{reverse('certificates-expiring')}?ngay={days}")
    if download := export_if_asked(request, ExpiringCertificatesExporter, certificates, f"gcn-sap-het-han-{days}-ngay"):
        return download
    page = Paginator(certificates, 50).get_page(request.GET.get("page"))
    return render(request, "certification/certificate_expiring.html",
                  {"page": page, "days": days, "officer": officer})  # fmt: skip


class BatchRevokeForm(RevokeForm):
    numbers = forms.CharField(
        label=gettext_lazy("Certificate numbers (one per line, or separated by commas)"),
        widget=forms.Textarea(attrs={"rows": 6}), max_length=20000,
    )  # fmt: skip
    field_order = ["decision_number", "revoked_on", "numbers", "reason"]


@login_required
def certificates_revoke_view(request):
    """One revocation decision for several certificates: all or none."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied

    from ocop.accounts.permissions import is_central, is_province_officer
    from ocop.certification.services import certificates_revoke_by_decision
    from ocop.core.errors import ApplicationError, form_refused

    if not (is_central(request.user) or is_province_officer(request.user)):
        raise PermissionDenied(_("Only the officers of the certifying province or the central office can revoke."))
    form = BatchRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        numbers = [part for line in data["numbers"].splitlines() for part in line.split(",")]
        try:
            done = certificates_revoke_by_decision(
                numbers=numbers, by=request.user, revoked_on=data["revoked_on"],
                decision_number=data["decision_number"], reason=data["reason"],
            )  # fmt: skip
        except ApplicationError as exc:
            form_refused(form, exc)
        else:
            done_message = _("%(n)s certificates are revoked by decision %(decision)s; their verification pages say "
                             "so now.")  # fmt: skip
            messages.success(request, done_message % {"n": len(done), "decision": data["decision_number"]})
            return redirect("certificates-revoke")
    return render(request, "certification/certificates_revoke.html", {"form": form},
                  status=400 if form.errors else 200)  # fmt: skip
