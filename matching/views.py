"""Pages: your matches, why someone is not in them, your shortlist, and "support wanted" adverts.

Thin: reads come from matching.selectors, writes from matching.search_services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.redirects import safe_next
from profiles.selectors import profile_for_viewer

from . import search_services, selectors, services
from .cards import COUNT_CAP, card_chips, match_count
from .forms import (
    AdvertForm,
    AdvertResponseForm,
    MatchFilterForm,
    ModelRestoreForm,
    PrioritiesForm,
    WeightsForm,
    WhyNotForm,
    add_service_errors,
)
from .scoring import features as F


def _chosen_seeker(request, seekers=None):
    raw = request.GET.get("for", "")
    return selectors.seeker_profile_for(request.user, int(raw) if raw.isdigit() else None, seekers)


def _next_or(request, fallback: str) -> str:
    return safe_next(request, fallback)


def _stored_must(profile) -> list[str]:
    seeking = profile.seeking if isinstance(profile.seeking, dict) else {}
    must = seeking.get("must")
    return [m for m in must if m in F.MUSTABLE] if isinstance(must, list) else []


def _filters(form: MatchFilterForm) -> selectors.MatchFilters:
    if not form.is_bound:
        return selectors.MatchFilters()
    data = form.cleaned_data
    return selectors.MatchFilters(
        role=data["role"],
        max_km=data["max_km"],
        language=data["language"],
        max_rate=data["max_rate"],
        must=data["must"],
        sort=data["sort"] or "best",
    )


PAGE_SIZE = 20


def _page_number(request) -> int:
    raw = request.GET.get("page", "")
    return max(1, min(int(raw), services.MAX_TOP // PAGE_SIZE)) if raw.isdigit() and len(raw) < 4 else 1


def _more_url(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return f"{request.path}?{params.urlencode()}"


@login_required
def matches(request):
    seekers = selectors.seeker_profiles_for(request.user)
    seeker = _chosen_seeker(request, seekers)
    if seeker is None:
        return _no_seeker_profile(request, "see your matches")
    filter_form = MatchFilterForm(request.GET or None, initial={"sort": "best", "must": _stored_must(seeker)})
    weights_form = WeightsForm(request.GET or None)
    priorities_form = PrioritiesForm(request.GET or None)
    page = _page_number(request)
    cards, more, count = None, False, None
    valid = (not filter_form.is_bound or filter_form.is_valid()) and priorities_form.is_valid_or_unbound()
    if request.htmx and request.GET.get("count"):  # the filter panel asks what its choices would give
        count = None
        if valid:
            weights = priorities_form.multipliers(weights_form.multipliers())
            count = match_count(
                seeker_profile=seeker, viewer=request.user, filters=_filters(filter_form), weights=weights
            )
        return render(request, "matching/includes/filter_count.html", {"count": count, "cap": COUNT_CAP})
    if valid:
        weights = priorities_form.multipliers(weights_form.multipliers())
        found = selectors.match_cards(
            seeker_profile=seeker,
            viewer=request.user,
            filters=_filters(filter_form),
            weights=weights,
            top=PAGE_SIZE * page + 1,
        )
        more = len(found) > PAGE_SIZE * page
        cards = card_chips(found[: PAGE_SIZE * page])
        count = (
            len(found)
            if not more
            else match_count(seeker_profile=seeker, viewer=request.user, filters=_filters(filter_form), weights=weights)
        )
    context = {
        "seeker": seeker,
        "seekers": seekers,
        "cards": cards,
        "page_cards": cards[PAGE_SIZE * (page - 1) :] if cards else cards,
        "first_rank": PAGE_SIZE * (page - 1) + 1,
        "more_url": _more_url(request, page + 1) if more else "",
        "count": count,
        "cap": COUNT_CAP,
        "filter_form": filter_form,
        "weights_form": weights_form,
        "priorities_form": priorities_form,
        "next": request.get_full_path(),
    }
    if request.htmx and page > 1:
        return render(request, "matching/includes/match_page.html", context)
    return render(request, "matching/matches.html", context)


@login_required
def why_not(request):
    """Find a person by name among those not in your matches, then see what leaves them out."""
    seeker = _chosen_seeker(request)
    if seeker is None:
        return _no_seeker_profile(request, "ask why someone is not in your matches")
    name = request.GET.get("name", "").strip()
    found = (
        selectors.why_not_people(viewer=request.user, seeker_profile=seeker, name=name)
        if 2 <= len(name) <= 60
        else None
    )
    form = WhyNotForm(request.GET if "name" in request.GET else None, people=found.not_shown if found else ())
    exclusion, listing = None, None
    if form.is_bound and form.is_valid() and form.cleaned_data["person"]:
        listing = next(p for p in found.not_shown if p.ref == form.cleaned_data["person"])
        try:
            exclusion = services.match_explain_exclusion(seeker_profile=seeker, viewer=request.user, ref=listing.ref)
        except Http404:  # blocked or unlisted since the list was made
            listing = None
            form.add_error("person", _("They are no longer on the register. Search again."))
    return render(
        request,
        "matching/why_not.html",
        {"form": form, "found": found, "exclusion": exclusion, "listing": listing, "seeker": seeker},
    )


def _no_seeker_profile(request, purpose: str):
    """The page asking for a seeker profile first, saying (in one whole sentence) what it is needed for."""
    needed = {
        "see your matches": _(
            "To see your matches, we need a profile that says what support you are looking for: where you live "
            "(just the first part of your postcode), what would help and when."
        ),
        "ask why someone is not in your matches": _(
            "To ask why someone is not in your matches, we need a profile that says what support you are looking "
            "for: where you live (just the first part of your postcode), what would help and when."
        ),
        "post an advert": _(
            "To post an advert, we need a profile that says what support you are looking for: where you live "
            "(just the first part of your postcode), what would help and when."
        ),
    }[purpose]
    return render(request, "matching/no_seeker_profile.html", {"purpose": purpose, "needed": needed})


# Shortlist --------------------------------------------------------------------------------


@login_required
def shortlist(request):
    entries = list(selectors.shortlist_for(request.user))
    return render(request, "matching/shortlist.html", {"entries": entries})


def _shortlist_fragment(request, profile, said: str):
    """The shortlist button again, in its new state, with what happened: htmx swaps it in place."""
    return render(
        request,
        "matching/includes/shortlist_button.html",
        {"profile": profile, "shortlist_said": said, "next_url": _next_or(request, profile.get_absolute_url())},
    )


@login_required
@require_POST
def shortlist_add(request, ref: str):
    profile = profile_for_viewer(ref=ref, viewer=request.user)
    try:
        search_services.shortlist_add(user=request.user, profile=profile)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if request.htmx:
            return _shortlist_fragment(
                request, profile, _("%(name)s is on your shortlist.") % {"name": profile.display_name}
            )
        messages.success(request, _("%(name)s is on your shortlist.") % {"name": profile.display_name})
    return redirect(_next_or(request, profile.get_absolute_url()))


@login_required
@require_POST
def shortlist_remove(request, pk: int):
    entry = selectors.shortlist_entry_for(viewer=request.user, pk=pk)
    name = entry.profile.display_name
    search_services.shortlist_remove(entry=entry, actor=request.user)
    if request.htmx:
        return _shortlist_fragment(
            request, entry.profile, _("%(name)s is no longer on your shortlist.") % {"name": name}
        )
    messages.success(request, _("%(name)s is no longer on your shortlist.") % {"name": name})
    return redirect(_next_or(request, reverse("matching:shortlist")))


# Adverts ----------------------------------------------------------------------------------


def _chosen_supporter(request):
    profiles = selectors.supporter_profiles_for(request.user)
    raw = request.GET.get("as", "")
    chosen = next((p for p in profiles if str(p.pk) == raw), profiles[0] if profiles else None)
    return chosen, profiles


@login_required
def advert_list(request):
    supporter, supporters = _chosen_supporter(request)
    found = selectors.adverts_for_supporter(viewer=request.user, supporter=supporter) if supporter else None
    return render(
        request,
        "matching/adverts.html",
        {
            "supporter": supporter,
            "supporters": supporters,
            "found": found,
            "has_seeker": bool(selectors.seeker_profiles_for(request.user)),
        },
    )


@login_required
def advert_mine(request):
    return render(request, "matching/adverts_mine.html", {"adverts": selectors.adverts_owned(request.user)})


@login_required
def advert_new(request):
    seekers = selectors.seeker_profiles_for(request.user)
    if not seekers:
        return _no_seeker_profile(request, "post an advert")
    form = AdvertForm(request.POST or None, seeker_profiles=seekers)
    if request.method == "POST" and form.is_valid():
        try:
            advert = search_services.advert_create(
                seeker_profile=form.seeker_profile(), actor=request.user, **form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your advert is posted. Supporters it suits can now see it and respond."))
            return redirect("matching:advert-detail", pk=advert.pk)
    return render(request, "matching/advert_new.html", {"form": form})


def _advert_page(request, advert, response_form=None):
    owner = selectors.is_advert_owner(advert, request.user)
    supporter, _profiles = _chosen_supporter(request)
    fit = (
        selectors.advert_fit(advert=advert, supporter=supporter, viewer=request.user)
        if supporter and not owner
        else None
    )
    context = {
        "advert": advert,
        "owner": owner,
        "supporter": supporter,
        "fit": fit,
        "responses": selectors.advert_responses(advert=advert, viewer=request.user) if owner else None,
        "already": supporter is not None and advert.responses.filter(supporter_profile=supporter).exists(),
        "response_form": response_form or AdvertResponseForm(),
    }
    return render(request, "matching/advert_detail.html", context)


@login_required
def advert_detail(request, pk: int):
    return _advert_page(request, selectors.advert_for_viewer(viewer=request.user, pk=pk))


@login_required
@require_POST
def advert_close(request, pk: int):
    advert = selectors.advert_for_viewer(viewer=request.user, pk=pk)
    try:
        search_services.advert_close(advert=advert, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Your advert is closed. Supporters can no longer see it or respond."))
    return redirect("matching:advert-detail", pk=advert.pk)


@login_required
@require_POST
def advert_respond(request, pk: int):
    advert = selectors.advert_for_viewer(viewer=request.user, pk=pk)
    supporter, _profiles = _chosen_supporter(request)
    form = AdvertResponseForm(request.POST)
    if supporter is None:
        form.add_error(None, _("To respond, list a profile offering support first."))
    elif form.is_valid():
        try:
            response = search_services.advert_respond(
                advert=advert, supporter_profile=supporter, actor=request.user, message=form.cleaned_data["message"]
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            if response.conversation_url:
                messages.success(
                    request,
                    _("You are both interested: they said they were interested in you too. Your conversation is open."),
                )
                return redirect(response.conversation_url)
            messages.success(request, _("Your response is sent. The person who posted the advert can now contact you."))
            return redirect("matching:advert-detail", pk=advert.pk)
    return _advert_page(request, advert, response_form=form)


# The matching model (staff) ------------------------------------------------------------------


@login_required
def model_history(request):
    versions = selectors.model_history_for(request.user)  # 404 unless staff
    form = ModelRestoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.model_restore(
                version=form.cleaned_data["version"],
                actor=request.user,
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Version %(version)s is now the one every search uses.") % {"version": row.version}
            )
            return redirect("matching:model-history")
    posted = form.data.get("version") if form.is_bound else None
    rows = [(v, selectors.weight_rows(v)) for v in versions]
    return render(
        request,
        "matching/model_history.html",
        {"rows": rows, "form": form, "posted": posted, "floor": services.weight_floor()},
        status=400 if form.is_bound and form.errors else 200,
    )
