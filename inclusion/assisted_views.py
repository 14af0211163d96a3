"""Assisted mode pages (/assisted/): start and end it, the "waiting for you to confirm" list, and the printable
easy-read summary of a session. Thin: inclusion.assisted holds the rules; another person's session is a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from profiles.models import Profile, User

from . import assisted


class HelpingForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Who are you helping?"), coerce=int)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.preferred_name or gettext("Someone you act for")) for p in people]


class HelperForm(forms.Form):
    helper = forms.TypedChoiceField(label=_("Who is helping you?"), coerce=int)

    def __init__(self, *args, helpers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].choices = [(user.pk, _helper_label(user, role)) for user, role in helpers]


def _helper_label(user: User, role: str) -> str:
    """One whole sentence for each case, so each language can order the words its own way."""
    name = user.preferred_name
    if role == "proxy":
        if name:
            return gettext("%(name)s (acts for you)") % {"name": name}
        return gettext("Someone (acts for you)")
    if name:
        return gettext("%(name)s (your coordinator)") % {"name": name}
    return gettext("Someone (your coordinator)")


def _page(request, helping_form=None, helper_form=None, status=200):
    people = list(assisted.people_i_can_help(request.user))
    helpers = assisted.my_possible_helpers(request.user)
    return render(
        request,
        "inclusion/assisted/home.html",
        {
            "helping_form": helping_form or (HelpingForm(people=people) if people else None),
            "helper_form": helper_form or (HelperForm(helpers=helpers) if helpers else None),
            "sessions": assisted.sessions_for(request.user)[:20],
            "waiting": assisted.consents_waiting_for(request.user),
        },
        status=status,
    )


@login_required
def home(request):
    return _page(request)


@login_required
@require_POST
def start(request):
    if "person" in request.POST:
        form = HelpingForm(request.POST, people=list(assisted.people_i_can_help(request.user)))
        if not form.is_valid():
            return _page(request, helping_form=form)
        person, helper = User.objects.get(pk=form.cleaned_data["person"]), request.user
    else:
        form = HelperForm(request.POST, helpers=assisted.my_possible_helpers(request.user))
        if not form.is_valid():
            return _page(request, helper_form=form)
        person, helper = request.user, User.objects.get(pk=form.cleaned_data["helper"])
    try:
        session = assisted.session_start(actor=request.user, person=person, helper=helper)
    except (ValidationError, PermissionDenied) as error:
        form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        return _page(request, **({"helping_form": form} if "person" in request.POST else {"helper_form": form}))
    if session.started_by_person:
        messages.success(
            request,
            gettext("Assisted mode is on. We will note what %(name)s helps you with.") % {"name": session.helper_name},
        )
        return redirect("profiles:dashboard")
    messages.success(request, gettext("Assisted mode is on. What you fill in for them is noted with your name."))
    return redirect("inclusion:assisted-summary", session.pk)


@login_required
@require_POST
def end(request, pk: int):
    session = assisted.session_for(viewer=request.user, pk=pk)
    assisted.session_end(session=session, actor=request.user)
    messages.success(request, gettext("Assisted mode is off."))
    return redirect("inclusion:assisted-summary", session.pk)


@login_required
def summary(request, pk: int):
    """What was filled in during the session, in short sentences, to print. Lived experience and health details
    are shown only to the person themselves."""
    session = assisted.session_for(viewer=request.user, pk=pk)
    is_person = session.person_id == request.user.pk
    changes = list(session.changes.all())
    sensitive = []
    if is_person and any(c.area == "lived experience" for c in changes):
        for profile in Profile.objects.filter(user=session.person, sensitive_consent_at__isnull=False):
            if profile.lived_experience:
                sensitive.append(", ".join(profile.lived_experience))
    return render(
        request,
        "inclusion/assisted/summary.html",
        {
            "session": session,
            "is_person": is_person,
            "changes": changes,
            "areas": sorted({assisted.AREA_WORDS.get(c.area, c.area) for c in changes}),
            "sensitive": sensitive,
            "waiting": assisted.consents_waiting_for(session.person) if is_person else [],
            "waiting_count": assisted.consents_waiting_for(session.person).count(),
        },
    )
