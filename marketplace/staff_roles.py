"""The operator's roles page (/staff/roles/): moderators, and community-recommended panels with their seats.

Staff only (anyone else gets 404), second factor as every staff page. Every change goes through the
services (profiles.roles for moderators, ratings.services for panels); the page only shows forms. It lives
in marketplace's wiring because it uses two apps (profiles and ratings) and peer_support's list of real
organisations, which do not import each other.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.forms import apply_form
from peer_support.organisations import approved_organisations
from profiles import roles
from profiles.models import Organisation
from ratings import services as ratings_services
from ratings.models import Panel, PanelMember


class ModeratorForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Their email address"), help_text=gettext_lazy("They must have joined Open Circle already.")
    )


class PanelForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Panel name"), max_length=120)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation whose supporters it covers"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("None: it covers a postcode area"),
    )
    area_prefix = forms.CharField(
        label=gettext_lazy("Or the postcode area it covers"),
        max_length=4,
        required=False,
        help_text=gettext_lazy("For example BB or BB1. Leave empty when you chose an organisation."),
    )
    criteria = forms.CharField(
        label=gettext_lazy("What the panel looks for"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Plain words. Shown to everyone on the panel's page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = approved_organisations()


class SeatForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Their email address"), help_text=gettext_lazy("They must have joined Open Circle already.")
    )
    kind = forms.ChoiceField(label=gettext_lazy("They are"), choices=PanelMember.Kind.choices, widget=forms.RadioSelect)


def _staff(request) -> None:
    if not request.user.is_staff:
        raise Http404


@login_required
def roles_page(request):
    _staff(request)
    which = request.POST.get("form")
    moderator_form = ModeratorForm(request.POST if which == "moderator" else None, prefix="moderator")
    panel_form = PanelForm(request.POST if which == "panel" else None, prefix="panel")
    if request.method == "POST":
        if which == "moderator" and apply_form(
            request,
            moderator_form,
            lambda d: roles.moderator_set(actor=request.user, email=d["email"], moderator=True),
            lambda user: (
                _("%(name)s is a moderator now. They will set up a second factor when they next sign in.")
                % {"name": user.display_name}
            ),
        ):
            return redirect("staff-roles")
        if which == "panel" and apply_form(
            request,
            panel_form,
            lambda d: ratings_services.panel_create(actor=request.user, **d),
            lambda panel: _("The panel %(name)s is set up. Now give people seats on it.") % {"name": panel.name},
        ):
            return redirect("staff-roles")
    return render(
        request,
        "staff/roles.html",
        {
            "moderator_form": moderator_form,
            "panel_form": panel_form,
            "moderators": roles.moderators(),
            "panels": Panel.objects.select_related("organisation").order_by("name"),
        },
    )


@login_required
@require_POST
def moderator_end(request, pk: int):
    _staff(request)
    user = get_object_or_404(roles.moderators(), pk=pk)
    roles.moderator_set(actor=request.user, email=user.email, moderator=False)
    messages.success(request, _("%(name)s is no longer a moderator.") % {"name": user.display_name})
    return redirect("staff-roles")


@login_required
def panel_seats(request, pk: int):
    _staff(request)
    panel = get_object_or_404(Panel, pk=pk)
    form = SeatForm(request.POST or None)
    if request.method == "POST" and apply_form(
        request,
        form,
        lambda d: ratings_services.panel_seat_add(actor=request.user, panel=panel, **d),
        lambda seat: _("%(name)s has a seat on %(panel)s.") % {"name": seat.user.display_name, "panel": panel.name},
    ):
        return redirect("staff-panel-seats", pk=panel.pk)
    return render(
        request,
        "staff/panel_seats.html",
        {"panel": panel, "form": form, "seats": panel.members.filter(left_at__isnull=True).select_related("user")},
    )


@login_required
@require_POST
def panel_seat_end(request, pk: int, seat: int):
    _staff(request)
    member = get_object_or_404(PanelMember, pk=seat, panel_id=pk, left_at__isnull=True)
    ratings_services.panel_member_remove(member=member, actor=request.user)
    messages.success(
        request,
        _("%(name)s no longer has a seat on %(panel)s.")
        % {"name": member.user.display_name, "panel": member.panel.name},
    )
    return redirect("staff-panel-seats", pk=pk)
