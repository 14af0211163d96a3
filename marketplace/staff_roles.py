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
from django.views.decorators.http import require_POST

from marketplace.forms import apply_form
from peer_support.organisations import approved_organisations
from profiles import roles
from profiles.models import Organisation
from ratings import services as ratings_services
from ratings.models import Panel, PanelMember


class ModeratorForm(forms.Form):
    email = forms.EmailField(label="Their email address", help_text="They must have joined Open Circle already.")


class PanelForm(forms.Form):
    name = forms.CharField(label="Panel name", max_length=120)
    organisation = forms.ModelChoiceField(
        label="Organisation whose supporters it covers",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None: it covers a postcode area",
    )
    area_prefix = forms.CharField(
        label="Or the postcode area it covers",
        max_length=4,
        required=False,
        help_text="For example BB or BB1. Leave empty when you chose an organisation.",
    )
    criteria = forms.CharField(
        label="What the panel looks for",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain words. Shown to everyone on the panel's page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = approved_organisations()


class SeatForm(forms.Form):
    email = forms.EmailField(label="Their email address", help_text="They must have joined Open Circle already.")
    kind = forms.ChoiceField(label="They are", choices=PanelMember.Kind.choices, widget=forms.RadioSelect)


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
                f"{user.display_name} is a moderator now. They will set up a second factor when they next sign in."
            ),
        ):
            return redirect("staff-roles")
        if which == "panel" and apply_form(
            request,
            panel_form,
            lambda d: ratings_services.panel_create(actor=request.user, **d),
            lambda panel: f"The panel {panel.name} is set up. Now give people seats on it.",
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
    messages.success(request, f"{user.display_name} is no longer a moderator.")
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
        lambda seat: f"{seat.user.display_name} has a seat on {panel.name}.",
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
    messages.success(request, f"{member.user.display_name} no longer has a seat on {member.panel.name}.")
    return redirect("staff-panel-seats", pk=pk)
