from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from marketplace.forms import add_service_errors

from . import services
from .forms import EmailPreferencesForm

SHOWN = 100


@login_required
def notification_list(request):
    recent = list(services.notifications_for(viewer=request.user)[: SHOWN + 1])
    return render(
        request,
        "notifications/list.html",
        {
            "unread": [n for n in recent[:SHOWN] if not n.is_read],
            "earlier": [n for n in recent[:SHOWN] if n.is_read],
            "more": len(recent) > SHOWN,
            "shown": SHOWN,
        },
    )


@login_required
def notification_open(request, pk: int):
    """Follow a notification to the thing it is about, marking it read on the way."""
    notification = services.notification_for(viewer=request.user, pk=pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()}):
        return redirect("notifications:list")
    return redirect(notification.link)


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = services.notification_for(viewer=request.user, pk=pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    messages.success(request, _("Marked as read: %(title)s.") % {"title": notification.shown_title})
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(
        request,
        ngettext("Marked %(count)d notification as read.", "Marked %(count)d notifications as read.", count)
        % {"count": count}
        if count
        else _("You had nothing unread."),
    )
    return redirect("notifications:list")


@login_required
def email_settings(request):
    form = EmailPreferencesForm(request.POST or None, initial={"kinds": services.email_kinds_on(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            services.email_preferences_set(user=request.user, kinds_on=form.cleaned_data["kinds"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your email choices are saved."))
            return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
