from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.forms import ApiTokenForm, InvitationAcceptForm, InvitationForm, ProfileForm
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
from ocop.core.errors import ApplicationError
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
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The invitation is sent to %(email)s; the link works once, for %(days)s days.")
                             % {"email": invitation.email, "days": settings.OCOP_INVITATION_DAYS})  # fmt: skip
            return redirect("accounts:people")
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
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
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
