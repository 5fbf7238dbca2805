from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.forms import ApiTokenForm, ProfileForm
from ocop.accounts.models import ApiToken
from ocop.accounts.services import api_token_create, api_token_revoke
from ocop.core.errors import ApplicationError

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
