"""The display settings page (/settings/display/): text size, colours, reading font and easy read.

Anyone can use it; signed-in people's choices are saved for every device. Post, redirect, get: no
JavaScript needed.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.redirects import safe_next

from .forms import DisplayForm
from .preferences import Display, for_request, preferences_save, remember_in_cookie


def display_settings(request):
    current = for_request(request)
    form = DisplayForm(request.POST or None, initial=asdict(current))
    if request.method == "POST" and form.is_valid():
        chosen = Display.clean(form.cleaned_data)
        if request.user.is_authenticated:
            preferences_save(user=request.user, display=chosen)
        if request.user.is_authenticated:
            messages.success(request, _("Your display settings are saved for every device you use."))
        else:
            messages.success(request, _("Your display settings are saved in this browser."))
        response = redirect(safe_next(request, reverse("inclusion:display")))
        remember_in_cookie(response, chosen)
        return response
    return render(request, "inclusion/display.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def easy_read_switch(request):
    """The "Easy read" button on the main pages: turns easy read on or off, keeping the other choices."""
    chosen = replace(for_request(request), easy_read=request.POST.get("easy_read") == "on")
    if request.user.is_authenticated:
        preferences_save(user=request.user, display=chosen)
    response = redirect(safe_next(request, reverse("home")))
    remember_in_cookie(response, chosen)
    return response
