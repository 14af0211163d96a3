"""Pages for saved searches: save one from a results page, list them, change email, delete. Thin:
matching.saved_searches holds the rules."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from marketplace.forms import add_service_errors

from . import saved_searches as saved
from .models import SavedSearch


class SaveSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Name this search"),
        max_length=200,  # the service says what the limit is, in words
        help_text=_("Only you see it, for example “Weekday PAs near me”."),
        error_messages={"required": _("Give the search a name you will recognise, like “Weekday PAs near me”.")},
    )
    email = forms.BooleanField(label=_("Email me too when a new listing fits"), required=False)
    page = forms.ChoiceField(choices=SavedSearch.Page.choices, widget=forms.HiddenInput)
    params = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class EmailForm(forms.Form):
    email = forms.BooleanField(required=False)


@login_required
def saved_search_new(request):
    """The "Save this search" form posts here; errors (a missing name) are shown on this page."""
    form = SaveSearchForm(
        request.POST or None, initial={"page": request.GET.get("page", ""), "params": request.GET.get("params", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = saved.saved_search_create(
                user=request.user,
                page=data["page"],
                params=QueryDict(data["params"]),
                name=data["name"],
                email=data["email"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                gettext(
                    "Your search is saved. We will tell you in your notifications and by email when a new listing fits it."
                )
                if found.email
                else gettext(
                    "Your search is saved. We will tell you in your notifications when a new listing fits it."
                ),
            )
            return redirect("matching:saved-searches")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "matching/saved_search_new.html", {"form": form}, status=status)


@login_required
def saved_search_list(request):
    rows = [(s, saved.search_url(s), s.hits.count()) for s in saved.saved_searches_for(request.user)]
    return render(request, "matching/saved_searches.html", {"rows": rows, "limit": saved.MAX_PER_PERSON})


@login_required
def saved_search_detail(request, pk: int):
    found = saved.saved_search_for(viewer=request.user, pk=pk)
    return render(
        request,
        "matching/saved_search_detail.html",
        {
            "saved_search": found,
            "url": saved.search_url(found),
            "listings": saved.new_fits_for(viewer=request.user, saved_search=found),
        },
    )


@login_required
@require_POST
def saved_search_email(request, pk: int):
    found = saved.saved_search_for(viewer=request.user, pk=pk)
    form = EmailForm(request.POST)
    wanted = form.is_valid() and form.cleaned_data["email"]
    saved.saved_search_update(saved_search=found, actor=request.user, email=wanted)
    messages.success(
        request,
        gettext("We will email you when a new listing fits “%(name)s”.") % {"name": found.name}
        if wanted
        else gettext("No emails for “%(name)s”: new listings still show in your notifications.") % {"name": found.name},
    )
    return redirect("matching:saved-searches")


@login_required
@require_POST
def saved_search_delete(request, pk: int):
    found = saved.saved_search_for(viewer=request.user, pk=pk)
    name = found.name
    saved.saved_search_delete(saved_search=found, actor=request.user)
    messages.success(
        request, gettext("“%(name)s” is deleted. We will not tell you about new listings for it.") % {"name": name}
    )
    return redirect("matching:saved-searches")
