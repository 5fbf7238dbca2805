import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.exporters import PeopleExporter
from ocop.accounts.forms import (
    ApiTokenForm,
    CodeForm,
    EmailChangeForm,
    InvitationAcceptForm,
    InvitationForm,
    ProfileForm,
    SignupForm,
)
from ocop.accounts.invitations import (
    invitation_accept,
    invitation_open,
    invitation_resend,
    invitation_revoke,
    invitation_send,
    invitations_in_area,
    manages_people,
    people_in_area,
    user_set_active,
)
from ocop.accounts.models import ApiToken, Invitation, User
from ocop.accounts.permissions import is_central, work_page
from ocop.accounts.services import api_token_create, api_token_revoke
from ocop.accounts.signup import email_change_confirm, email_change_start, signup_confirm, signup_start
from ocop.core.errors import ApplicationError, form_refused
from ocop.core.exporting import export_if_asked
from ocop.core.flood import flood_take
from ocop.core.middleware import client_ip
from ocop.core.once import once_per_form

NEW_TOKEN_SESSION_KEY = "accounts:new-token"  # noqa: S105  (a session key name)


@login_required
def profile(request):
    """The signed-in user's own details and personal API tokens."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("producer__province")
    context = {
        "form": form,
        "memberships": memberships,
        "token_form": ApiTokenForm(),
        "email_form": EmailChangeForm(),
        "tokens": request.user.api_tokens.all(),
        # The plain token is shown on the page after its creation, once, then forgotten.
        "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def token_create(request):
    """Create a personal API token; its text is shown once."""
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, plain = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = plain
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request, pk: int):
    """Revoke one of the user's tokens."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:profile")


def _manager(request) -> None:
    if not manages_people(request.user):
        raise PermissionDenied(_("Only the central office and province offices manage accounts."))


@login_required
@once_per_form
def people(request):
    """A province office's (or the central office's) people: invite, resend, withdraw, deactivate."""
    _manager(request)
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_send(by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_refused(form, exc)
        else:
            messages.success(request, _("The invitation is sent to %(email)s; the link works once, for %(days)s days.")
                             % {"email": invitation.email, "days": settings.OCOP_INVITATION_DAYS})  # fmt: skip
            return redirect("accounts:people")
    if download := export_if_asked(request, PeopleExporter, people_in_area(request.user), "tai-khoan"):
        return download
    page = Paginator(people_in_area(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/people.html", {
        "form": form, "invitations": invitations_in_area(request.user)[:50], "people": page,
        "is_central": is_central(request.user),
    }, status=400 if form.errors else 200)  # fmt: skip


def _on_invitation(request, pk: int, service: Callable[..., Invitation], done: str):
    """Resend or withdraw one invitation of the manager's area; another province's is forbidden."""
    _manager(request)
    try:
        invitation = service(invitation=get_object_or_404(Invitation, pk=pk), by=request.user)
    except ApplicationError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect("accounts:people")


@login_required
@require_POST
def invitation_resend_view(request, pk: int):
    return _on_invitation(request, pk, invitation_resend,
                          _("A new link is sent to %(email)s; the previous one no longer works."))  # fmt: skip


@login_required
@require_POST
def invitation_revoke_view(request, pk: int):
    return _on_invitation(request, pk, invitation_revoke, _("The invitation to %(email)s is withdrawn."))


@login_required
@require_POST
def user_active(request, pk: int):
    _manager(request)
    person = get_object_or_404(User, pk=pk)
    try:
        user_set_active(user=person, active=request.POST.get("active") == "1", by=request.user)
    except ApplicationError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, (_("%(name)s can sign in again.") if person.is_active else
                                   _("%(name)s can no longer sign in.")) % {"name": person.display_name})  # fmt: skip
    return redirect("accounts:people")


@login_not_required
def invitation_accept_view(request, secret: str):
    """The invited person chooses a user name and password; the account is created and signed in."""
    try:
        invitation = invitation_open(secret)
    except ApplicationError as exc:
        return render(request, "accounts/invitation_accept.html", {"refusal": exc.message}, status=410
                      if exc.code in ("used", "revoked", "expired") else 404)  # fmt: skip
    form = InvitationAcceptForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            person = invitation_accept(
                secret=secret, username=form.cleaned_data["username"], password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"], phone=form.cleaned_data["phone"],
            )  # fmt: skip
        except ApplicationError as exc:
            form_refused(form, exc)
        else:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome, %(name)s: your account is ready.") % {"name": person.display_name})
            return redirect("accounts:home")
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def home(request):
    """Where each role lands after signing in: its own work page."""
    return redirect(work_page(request.user))


@login_not_required
def signup(request):
    """A producer or buyer opens its own account; it works once the address is confirmed."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not flood_take(f"signup:{client_ip(request)}", limit=10, window=dt.timedelta(hours=1)):
            form.add_error(None, _("Too many sign-ups from this address; try again in an hour."))
        else:
            data = form.cleaned_data
            try:
                signup_start(role=data["role"], username=data["username"], email=data["email"],
                             password=data["password1"], full_name=data["full_name"], phone=data["phone"],
                             organisation=data["organisation"])  # fmt: skip
            except ApplicationError as exc:
                form_refused(form, exc)
            else:
                return render(request, "accounts/signup_sent.html", {"email": data["email"]})
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


@login_not_required
def signup_confirm_view(request, token: str):
    try:
        person = signup_confirm(token)
    except ApplicationError as exc:
        return render(request, "accounts/link_refused.html", {"refusal": exc.message}, status=410
                      if exc.code == "expired" else 400)  # fmt: skip
    login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome, %(name)s: your address is confirmed and your account is ready.")
                     % {"name": person.display_name})  # fmt: skip
    return redirect("accounts:home")


@login_required
@require_POST
def email_change(request):
    form = EmailChangeForm(request.POST)
    if form.is_valid():
        try:
            email_change_start(user=request.user, new_email=form.cleaned_data["email"],
                               password=form.cleaned_data["password"])  # fmt: skip
        except ApplicationError as exc:
            form_refused(form, exc)
        else:
            messages.success(request, _("We sent a link to %(email)s: open it to use the new address.")
                             % {"email": form.cleaned_data["email"]})  # fmt: skip
            return redirect("accounts:profile")
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("accounts:profile")


@login_not_required
def email_confirm_view(request, token: str):
    try:
        person = email_change_confirm(token=token)
    except ApplicationError as exc:
        return render(request, "accounts/link_refused.html", {"refusal": exc.message}, status=400)
    messages.success(request, _("Your account now uses %(email)s.") % {"email": person.email})
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


# --- Second factor ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Turn on the sign-in code (scan the QR code, type the first code, keep the backup codes), renew the backup
    codes, or turn it off."""
    from ocop.accounts import second_factor as sf

    form = CodeForm(request.POST or None)
    action = request.POST.get("action", "")
    codes: list[str] = []
    enabled = sf.has_device(request.user)
    device = None if enabled else sf.pending_device(request.user)
    if request.method == "POST" and action == "renew" and enabled:
        codes = sf.backup_codes_renew(request.user)
    elif request.method == "POST" and form.is_valid():
        try:
            if action == "disable" and enabled:
                sf.second_factor_disable(request=request, code=form.cleaned_data["code"])
                messages.success(request, _("Sign-in codes are turned off for your account."))
                return redirect("accounts:otp-setup")
            if action == "confirm" and device is not None:
                codes = sf.device_confirm(request=request, device=device, code=form.cleaned_data["code"])
                enabled, device = True, None
                messages.success(request, _("Sign-in codes are on: from now on you give a code after your password."))
        except ApplicationError as exc:
            form_refused(form, exc)
    context = {
        "form": form, "enabled": enabled, "codes": codes, "required": sf.required_for(request.user),
        "next": sf.next_page(request, ""), "left": sf.backup_codes_left(request.user) if enabled else 0,
        "qr": sf.qr_svg(device, request.user) if device else "", "secret": sf.secret_text(device) if device else "",
    }  # fmt: skip
    return render(request, "accounts/otp_setup.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """After the password: the code from the app (or a backup code) before anything else."""
    from ocop.accounts import second_factor as sf

    if request.user.is_verified() or not sf.has_device(request.user):
        return redirect(sf.next_page(request, work_page(request.user)))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not flood_take(f"otp:{request.user.pk}", limit=10, window=dt.timedelta(minutes=15)):
            form.add_error("code", _("Too many wrong codes: wait a quarter of an hour, or sign out and ask your "
                                     "province office."))  # fmt: skip
        else:
            try:
                if sf.code_check(request=request, code=form.cleaned_data["code"]):
                    return redirect(sf.next_page(request, work_page(request.user)))
                form.add_error("code", _("This code is not right. Type the six digits your app shows now, or one "
                                         "of your backup codes."))  # fmt: skip
            except ApplicationError as exc:
                form_refused(form, exc)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": sf.next_page(request, "")},
                  status=400 if form.errors else 200)  # fmt: skip
