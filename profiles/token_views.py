"""The account page's API tokens: make one (shown once), see them with their last use, revoke one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.forms import add_service_errors

from . import tokens
from .models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=60,
        help_text=gettext_lazy(
            "So you can tell your tokens apart, for example the program or computer that will use it."
        ),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("How long it works"),
        coerce=int,
        choices=[
            (30, gettext_lazy("30 days")),
            (90, gettext_lazy("90 days")),
            (365, gettext_lazy("365 days (one year)")),
        ],
        initial=tokens.DEFAULT_EXPIRY_DAYS,
        widget=forms.RadioSelect,
    )


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new = None
    if request.method == "POST" and form.is_valid():
        try:
            new = tokens.api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "profiles/api_tokens.html",
        {"form": form, "new": new, "tokens": ApiToken.objects.filter(user=request.user)},
    )
    if new is not None:
        response["Cache-Control"] = "no-store"  # the token is in this page: keep it out of caches
    return response


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    try:
        token = tokens.api_token_revoke(user=request.user, token_id=pk)
    except ApiToken.DoesNotExist:
        raise Http404("No such token.") from None
    messages.success(
        request,
        _("The token “%(name)s” is revoked. Anything using it can no longer sign in.") % {"name": token.name},
    )
    return redirect("profiles:api-tokens")
