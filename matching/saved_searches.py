"""Saved searches: a person keeps a search of /matches/ or /register/ and hears when a new listing fits it.

Write paths (``saved_search_create``, ``saved_search_update``, ``saved_search_delete``) and the
reads with permission rules (``saved_searches_for``, ``saved_search_for``) for the pages.

Fitting goes through the one engine: when a listing is published, the task worker
(``matching.tasks.saved_searches_notify``, queued after the publish commits) puts that one listing in
an index of its own (``MatchIndex``, the same code every search runs) and asks it each saved search,
turned into the engine's query exactly as the page turns its query string into one (the page's own
form, ``listing_filter`` for the register, ``filtered_query`` for matches; blocks either way count).
A ``SavedSearchHit`` row per (search, listing), unique in the database, is what stops a second
notification, whichever worker or retry gets there second.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import gettext

from notifications.models import Kind as NotificationKind
from notifications.services import notification_send
from profiles import locality
from profiles.forms import RegisterSearchForm
from profiles.models import Profile, User

from . import live, selectors, services
from .forms import MatchFilterForm, PrioritiesForm, WeightsForm
from .index import MatchIndex
from .models import SavedSearch, SavedSearchHit
from .quality import quality_for
from .register import listing_filter
from .scoring.records import SUPPORTER_ROLES, candidate_from_profile

NAME_MAX = 80
MAX_PER_PERSON = 20
PAGE_PATHS: dict[str, str] = {
    SavedSearch.Page.MATCHES.value: "matching:matches",
    SavedSearch.Page.REGISTER.value: "profiles:browse",
}
# Query-string keys that are about paging or display, not about who fits.
NOT_SEARCH = {"page", "csrfmiddlewaretoken", "show", "cursor", "partial"}


def _page_keys(page: str) -> set[str]:
    """The keys the page's own forms read (so a renamed or new filter is kept without a change here)."""
    if page == SavedSearch.Page.REGISTER:
        return set(RegisterSearchForm.base_fields)
    ranking = set(PrioritiesForm.base_fields)  # kept so "Run this search" ranks as it did; fitting ignores them
    return set(MatchFilterForm.base_fields) | set(WeightsForm().fields) | ranking | {"for"}


def clean_params(page: str, params: QueryDict | dict) -> QueryDict:
    """The search's own keys only, with any postcode cut to its district (never a full postcode kept)."""
    if page not in SavedSearch.Page.values:
        raise ValidationError({"page": [gettext("Save a search from your matches or from the register.")]})
    source = params if isinstance(params, QueryDict) else QueryDict(mutable=True)
    if not isinstance(params, QueryDict):
        for key, value in params.items():
            source.setlist(key, [str(v) for v in (value if isinstance(value, list) else [value])])
    keys = _page_keys(page) - NOT_SEARCH
    kept = QueryDict(mutable=True)
    for key in sorted(source.keys()):
        values = [str(v).strip() for v in source.getlist(key) if str(v).strip()]
        if key in keys and values:
            kept.setlist(key, values)
    postcode = str(kept.get("postcode") or "")
    if postcode:
        try:
            kept["postcode"] = locality.outcode_of(postcode)
        except ValidationError:
            raise ValidationError(
                {
                    "params": [
                        gettext(
                            "The postcode in this search is not one we know. Check it on the search page, then save."
                        )
                    ]
                }
            ) from None
    return kept


def _register_form(params: QueryDict) -> RegisterSearchForm:
    form = RegisterSearchForm(params)
    if not form.is_valid():
        raise ValidationError(
            {"params": [gettext("This search has a problem (see the search page). Fix it there, then save it again.")]}
        )
    return form


def _match_form(params: QueryDict) -> MatchFilterForm:
    form = MatchFilterForm(params)
    if not form.is_valid():
        raise ValidationError(
            {
                "params": [
                    gettext("This search has a problem (see your matches page). Fix it there, then save it again.")
                ]
            }
        )
    return form


def _role_of(page: str, params: QueryDict) -> str:
    role = params.get("role", "")
    return role if role in SUPPORTER_ROLES else ""


@transaction.atomic
def saved_search_create(
    *, user: User, page: str, params: QueryDict | dict, name: str, email: bool = False
) -> SavedSearch:
    """Keep a search to hear about new listings that fit it. Raises ValidationError."""
    if not user.is_authenticated:
        raise PermissionDenied(gettext("Sign in to save a search."))
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError(
            {"name": [gettext("Give the search a name you will recognise, like “Weekday PAs near me”.")]}
        )
    if len(name) > NAME_MAX:
        raise ValidationError(
            {
                "name": [
                    gettext("Keep the name to %(max)s characters or fewer (it has %(count)s).")
                    % {"max": NAME_MAX, "count": len(name)}
                ]
            }
        )
    kept = clean_params(page, params)
    if page == SavedSearch.Page.REGISTER:
        _register_form(kept)
    else:
        _match_form(kept)
        seeker_for(user, kept)  # a seeker profile of theirs (or one they act for) must exist
    encoded = kept.urlencode()
    if len(encoded) > 1000:
        raise ValidationError(
            {"params": [gettext("This search is too long to save. Choose fewer filters, then save it.")]}
        )
    if SavedSearch.objects.filter(user=user).count() >= MAX_PER_PERSON:
        raise ValidationError(
            gettext("You have %(max)s saved searches, the most you can keep. Delete one you no longer need first.")
            % {"max": MAX_PER_PERSON}
        )
    return SavedSearch.objects.create(
        user=user, name=name, page=page, params=encoded, role=_role_of(page, kept), email=bool(email)
    )


def _require_owner(saved_search: SavedSearch, actor: User) -> None:
    if saved_search.user_id != actor.pk:
        raise PermissionDenied(gettext("You can only change your own saved searches."))


def saved_search_update(*, saved_search: SavedSearch, actor: User, email: bool) -> SavedSearch:
    """Email me too, or not (the notification centre always shows new fits)."""
    _require_owner(saved_search, actor)
    saved_search.email = bool(email)
    saved_search.save(update_fields=["email"])
    return saved_search


def saved_search_delete(*, saved_search: SavedSearch, actor: User) -> None:
    _require_owner(saved_search, actor)
    saved_search.delete()


# Reads ------------------------------------------------------------------------------------------


def saved_searches_for(viewer: User):
    return SavedSearch.objects.filter(user=viewer)


def saved_search_for(*, viewer: User, pk: int) -> SavedSearch:
    """The viewer's own saved search; anyone else's answers 404."""
    found = SavedSearch.objects.filter(pk=pk, user=viewer).first() if viewer.is_authenticated else None
    if found is None:
        raise Http404("No such saved search.")
    return found


def search_url(saved_search: SavedSearch) -> str:
    path = reverse(PAGE_PATHS[saved_search.page])
    return f"{path}?{saved_search.params}" if saved_search.params else path


def new_fits_for(*, viewer: User, saved_search: SavedSearch, limit: int = 50) -> list[Profile]:
    """Listings this search told its owner about, still listed and nobody blocked either way."""
    ids = list(saved_search.hits.values_list("profile_id", flat=True)[:limit])
    shown = []
    for profile in Profile.objects.filter(pk__in=ids).listed().select_related("user"):
        try:
            from profiles.selectors import profile_for_viewer

            shown.append(profile_for_viewer(ref=profile.ref, viewer=viewer))
        except Http404:
            continue
    order = {pid: i for i, pid in enumerate(ids)}
    return sorted(shown, key=lambda p: order[p.pk])


# Fitting (in the task worker) -------------------------------------------------------------------


@dataclass
class _OneListing:
    """One listing in an index of its own: the engine's code, asked about this listing alone."""

    profile: Profile
    index: MatchIndex


def seeker_for(user: User, params: QueryDict) -> Profile:
    raw = params.get("for", "")
    profile = selectors.seeker_profile_for(user, int(raw) if raw.isdigit() else None)
    if profile is None:
        raise ValidationError(
            gettext("Saving a search of your matches needs a profile saying what support you look for.")
        )
    return profile


def _match_filters(form: MatchFilterForm) -> selectors.MatchFilters:
    """As the matches page reads its form: with no query string at all, the seeker's stored choices."""
    if not form.data:
        return selectors.MatchFilters()
    data = form.cleaned_data
    max_rate = data.get("max_rate")
    return selectors.MatchFilters(
        role=data.get("role") or "",
        max_km=data.get("max_km"),
        language=data.get("language") or "",
        max_rate=Decimal(max_rate) if max_rate is not None else None,
        must=data.get("must"),
        sort=data.get("sort") or "best",
    )


def listing_fits(saved_search: SavedSearch, one: _OneListing) -> bool:
    """Whether the listing would be among this search's results for its owner (filters and blocks;
    matches are ranked, so "fits" means it passes every filter, not that it makes the first page)."""
    user = saved_search.user
    params = QueryDict(saved_search.params)
    if saved_search.page == SavedSearch.Page.REGISTER:
        query, _ = _register_form(params).to_query()
        rows, _ = one.index.listing_rows(listing_filter(viewer=user, query=query))
        return len(rows) > 0
    seeker = seeker_for(user, params)
    query = selectors.filtered_query(seeker, user, _match_filters(_match_form(params)))
    return bool(one.index.search(query, weights=services.effective_weights(), top=1))


def _notify(saved_search: SavedSearch, profile: Profile) -> bool:
    """Record the hit and tell the owner, once: a second worker's insert fails on the unique pair."""
    try:
        with transaction.atomic():
            SavedSearchHit.objects.create(saved_search=saved_search, profile=profile)
            notification_send(
                recipient=saved_search.user_id,
                kind=NotificationKind.SAVED_SEARCH,
                link=reverse("matching:saved-search", args=[saved_search.pk]),
                email=saved_search.email,
            )
    except IntegrityError:
        return False
    return True


def saved_searches_notify(profile_id: int) -> int:
    """Tell everyone whose saved search a newly published listing fits. Returns how many were told.

    Runs in the task worker after the publish commits. A listing no longer in search (paused again,
    removed) tells nobody. A search that no longer reads (its filter was removed from the page, or
    its seeker profile is gone) is skipped, not failed.
    """
    profile = live.indexable().filter(pk=profile_id).first()
    if profile is None or profile.user_id is None:
        return 0
    one = _OneListing(profile, MatchIndex([candidate_from_profile(profile, quality_for([profile.pk])[profile.pk])]))
    searches = (
        SavedSearch.objects.filter(Q(role="") | Q(role=profile.role))
        .exclude(user_id=profile.user_id)
        .exclude(hits__profile_id=profile.pk)
        .select_related("user")
    )
    told = 0
    for saved_search in searches.iterator(chunk_size=500):
        if not saved_search.user.is_active:
            continue
        try:
            fits = listing_fits(saved_search, one)
        except (ValidationError, Http404):
            continue
        if fits and _notify(saved_search, profile):
            told += 1
    return told
