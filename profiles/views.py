from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.forms import add_service_errors

from . import locality, privacy, prompts, selectors, services
from . import vocabulary as vocab
from .forms import (
    ClaimForm,
    ConsentForm,
    NameForm,
    PhotoDescriptionForm,
    PhotoForm,
    PreviewForm,
    ProfileForm,
    ProxyForm,
    RegisterSearchForm,
    RegisterSharingForm,
    SensitiveForm,
    StartProfileForm,
)
from .models import Audience, Block, ProfilePhoto, ProxyLink, User


def _submit(request, form, action, success: str, then):
    """Run a service on a valid POST: redirect with a message, or put its errors on the form (None)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        action()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, success)
    return redirect(then)


def home(request):
    return render(request, "home.html", {"search_form": RegisterSearchForm()})


@login_required
def onboarding(request):
    form = StartProfileForm(request.POST or None)
    existing = set(request.user.profiles.values_list("role", flat=True))
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if profile.location_is_approximate:
                messages.warning(request, locality.locate(form.cleaned_data["postcode"]).message)
            messages.success(request, _("Your profile is started. Add a few details, then list it when you are ready."))
            return redirect("profiles:edit", pk=profile.pk)
    # Role names in the page's language (not the stored codes), in the usual order.
    existing_roles = [vocab.translated_label(vocab.ROLES, role) for role in vocab.ROLES if role in existing]
    return render(request, "profiles/onboarding.html", {"form": form, "existing_roles": existing_roles})


@login_required
def dashboard(request):
    user = request.user
    profiles = list(user.profiles.select_related("organisation"))
    return render(
        request,
        "profiles/dashboard.html",
        {
            "profiles": profiles,
            "charges": any(profile.charges for profile in profiles),
            "acting_for": ProxyLink.objects.filter(proxy=user, revoked_at__isnull=True).select_related("seeker"),
            "proxies": ProxyLink.objects.filter(seeker=user, revoked_at__isnull=True).select_related("proxy"),
            "proxy_form": ProxyForm(),
            "blocked": Block.objects.filter(blocker=user).select_related("blocked"),
        },
    )


@login_required
def profile_edit(request, pk: int):
    profile = selectors.owned_profile(viewer=request.user, pk=pk)
    form = ProfileForm(request.POST or None, role=profile.role, initial=ProfileForm.initial_for(profile))
    save = lambda: services.profile_update(profile=profile, actor=request.user, data=form.service_data(profile))  # noqa: E731
    if done := _submit(request, form, save, _("Your changes are saved."), request.path):
        return done
    return render(request, "profiles/edit.html", {"profile": profile, "form": form})


@login_required
def profile_sensitive(request, pk: int):
    profile = selectors.owned_profile(viewer=request.user, pk=pk)
    if not profile.has_sensitive_consent:
        if profile.user_id != request.user.pk:
            # Someone acting for the person (a proxy): only the person can agree. Ask them to confirm.
            if request.method == "POST":
                services.consent_request(
                    person=profile.user, helper=request.user, key=f"profile-consent:{profile.pk}", link=request.path
                )
                messages.success(request, _("We have asked them to confirm from their own sign-in."))
                return redirect("profiles:sensitive", pk=profile.pk)
            return render(
                request,
                "profiles/consent_for_the_person.html",
                {"profile": profile, "message": services.only_the_person_message(profile.user)},
            )
        consent_form = ConsentForm(request.POST or None)
        if request.method == "POST" and consent_form.is_valid():
            services.consent_give(profile=profile, actor=request.user)
            messages.success(request, _("Thank you. You can now add your lived experience and choose who sees it."))
            return redirect("profiles:sensitive", pk=profile.pk)
        return render(request, "profiles/consent.html", {"profile": profile, "form": consent_form})
    form = SensitiveForm(
        request.POST or None,
        initial={
            "lived_experience": profile.lived_experience,
            "lived_experience_visibility": profile.lived_experience_visibility,
            "health_details": profile.health_details,
            "health_details_visibility": profile.health_details_visibility,
        },
    )

    def save():
        data = form.cleaned_data
        visibility = {k: data[k] for k in ("lived_experience_visibility", "health_details_visibility")}
        services.profile_update(profile=profile, actor=request.user, data=visibility)
        services.sensitive_update(
            profile=profile,
            actor=request.user,
            lived_experience=data["lived_experience"],
            health_details=data["health_details"],
        )

    if done := _submit(request, form, save, _("Your lived experience and privacy choices are saved."), request.path):
        return done
    sharing_form = RegisterSharingForm(initial={"share": profile.shares_lived_experience_with_registers})
    return render(request, "profiles/sensitive.html", {"profile": profile, "form": form, "sharing_form": sharing_form})


@login_required
@require_POST
def register_sharing(request, pk: int):
    """The separate choice to put lived experience in the open register export (off by default)."""
    profile = selectors.owned_profile(viewer=request.user, pk=pk)
    form = RegisterSharingForm(request.POST)
    share = form.is_valid() and form.cleaned_data["share"]
    try:
        services.register_sharing_set(profile=profile, actor=request.user, share=share)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your lived experience will be in the open register export from the next one.")
            if share
            else _("Your lived experience will not be in the open register export."),
        )
    return redirect("profiles:sensitive", pk=profile.pk)


@login_required
@require_POST
def consent_withdraw(request, pk: int):
    profile = selectors.owned_profile(viewer=request.user, pk=pk)
    services.consent_withdraw(profile=profile, actor=request.user)
    messages.success(request, _("Consent withdrawn. We have deleted your lived experience and health details."))
    return redirect("profiles:dashboard")


@login_required
def profile_photo(request, pk: int):
    """Up to four photos: add one, describe each, choose the first (the one on cards), remove one."""
    profile = selectors.owned_profile(viewer=request.user, pk=pk)
    back = reverse("profiles:photo", args=[profile.pk])
    if request.method == "POST" and "remove" in request.POST and "photo_id" not in request.POST:
        services.photo_remove(profile=profile, actor=request.user)
        messages.success(request, _("Your photo is removed."))
        return redirect("profiles:edit", pk=profile.pk)
    if request.method == "POST" and "photo_id" in request.POST:
        raw = request.POST["photo_id"]
        photo = get_object_or_404(profile.photos, pk=int(raw) if raw.isdigit() and len(raw) < 12 else 0)
        if "remove" in request.POST:
            services.photo_delete(photo=photo, actor=request.user)
            messages.success(request, _("That photo is removed."))
        elif "move" in request.POST:
            to = {"first": 0, "earlier": photo.order - 1, "later": photo.order + 1}.get(
                request.POST["move"], photo.order
            )
            services.photo_move(photo=photo, actor=request.user, to=to)
            messages.success(request, _("Photo moved. It is now photo %(number)d.") % {"number": photo.order + 1})
        else:
            describe = PhotoDescriptionForm(request.POST)
            if describe.is_valid():
                services.photo_describe(photo=photo, actor=request.user, alt_text=describe.cleaned_data["alt_text"])
                messages.success(request, _("The description is saved."))
            else:
                messages.error(request, _("Keep the description to 200 characters or fewer."))
        return redirect(back)
    form = PhotoForm(request.POST or None, request.FILES or None)
    add = lambda: services.photo_add(  # noqa: E731
        profile=profile, actor=request.user, upload=form.cleaned_data["photo"], alt_text=form.cleaned_data["alt_text"]
    )
    if done := _submit(request, form, add, _("Your photo is saved."), back):
        return done
    photos = list(profile.photos.all())
    return render(
        request,
        "profiles/photo.html",
        {"profile": profile, "form": form, "photos": photos, "can_add": len(photos) < ProfilePhoto.MAX_PHOTOS},
    )


@login_required
def profile_claims(request, pk: int):
    profile = selectors.owned_profile(viewer=request.user, pk=pk)
    form = ClaimForm(request.POST or None)
    add = lambda: services.claim_add(profile=profile, actor=request.user, **form.cleaned_data)  # noqa: E731
    if done := _submit(
        request, form, add, _("Claim added. It shows as self-declared until someone sees the document."), request.path
    ):
        return done
    return render(request, "profiles/claims.html", {"profile": profile, "form": form, "claims": profile.claims.all()})


@login_required
@require_POST
def profile_status(request, pk: int, action: str):
    profile = selectors.owned_profile(viewer=request.user, pk=pk)
    if action == "publish":
        try:
            services.profile_publish(profile=profile, actor=request.user)
        except ValidationError as error:
            messages.error(
                request,
                _("%(problem)s Fix this on your profile, then list it again.") % {"problem": " ".join(error.messages)},
            )
            return redirect("profiles:edit", pk=profile.pk)
        messages.success(request, _("Your profile is listed on the register. Anyone can find it now."))
    elif action == "pause":
        services.profile_pause(profile=profile, actor=request.user)
        messages.success(request, _("Your profile is paused. Nobody can find it until you list it again."))
    return redirect("profiles:dashboard")


@login_required
def profile_remove(request, pk: int):
    profile = selectors.owned_profile(viewer=request.user, pk=pk)
    if request.method == "POST":
        services.profile_remove(profile=profile, actor=request.user)
        messages.success(request, _("Your profile is deleted."))
        return redirect("profiles:dashboard")
    return render(request, "profiles/remove.html", {"profile": profile})


REGISTER_PAGE_SIZE = 20


def register_browse(request):
    """The register as person cards, results first. "Show more" (htmx) appends the next page in place;
    without JavaScript it is a link to the next page. The address keeps the search."""
    form = RegisterSearchForm(request.GET or None)
    page = listings = None
    if form.is_valid():
        query, place = form.to_query()
        if place and place.message:
            messages.info(request, place.message)
        listings = selectors.register_search(viewer=request.user, query=query)
    elif not form.is_bound:
        listings = selectors.register_search(viewer=request.user, query=selectors.RegisterQuery(sort="newest"))
    if listings is not None:
        page = Paginator(listings, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
        prefetch_related_objects([listing.profile for listing in page.object_list], "photos")
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {"form": form, "page": page, "query_string": query_string.urlencode(), "count": len(listings or [])}
    if request.htmx and page is not None and page.number > 1:
        return render(request, "profiles/includes/browse_page.html", context)
    return render(request, "profiles/browse.html", context)


def profile_detail(request, ref: str):
    profile = selectors.profile_for_viewer(ref=ref, viewer=request.user)
    viewer = request.user if request.user.is_authenticated else None
    return render(
        request,
        "profiles/detail.html",
        {
            "profile": profile,
            "lived_experience": [
                vocab.translated_label(vocab.LIVED_EXPERIENCE, t) for t in profile.visible_lived_experience(viewer)
            ],
            "health_details": profile.visible_health_details(viewer),
            "claims": profile.claims.select_related("checked_by", "checked_by_organisation"),
            "is_owner": viewer is not None and profile.user_id == viewer.pk,
            "prompts": prompts.answered(profile),
        },
    )


@login_required
@require_POST
def block_person(request, ref: str):
    profile = selectors.profile_for_viewer(ref=ref, viewer=request.user)
    if profile.user is None or profile.user == request.user:
        messages.error(request, _("There is nobody to block on this listing."))
        return redirect(profile)
    services.block_create(blocker=request.user, blocked=profile.user)
    messages.success(
        request,
        _("You have blocked %(name)s: you will not see each other on Open Circle.") % {"name": profile.display_name},
    )
    return redirect("profiles:browse")


@login_required
@require_POST
def unblock_person(request, user_id: int):
    blocked = get_object_or_404(User, pk=user_id, blocks_received__blocker=request.user)
    services.block_remove(blocker=request.user, blocked=blocked)
    messages.success(request, _("Unblocked."))
    return redirect("profiles:dashboard")


@login_required
@require_POST
def proxy_add(request):
    form = ProxyForm(request.POST)
    if form.is_valid():
        try:
            services.proxy_invite(seeker=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "We have sent an invitation to that address. Once they accept it, they can act "
                    "for you with their own login. You can end this at any time."
                ),
            )
    else:
        messages.error(request, _("Enter their email address, like name@example.com."))
    return redirect("profiles:dashboard")


@login_required
def proxy_accept(request, token: str):
    """The invited person opens the emailed link: a page with one button, so a link preview cannot accept it."""
    if request.method == "POST":
        try:
            link = services.proxy_invite_accept(token=token, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("You can now act for %(name)s. Either of you can end this at any time.")
                % {"name": link.seeker.preferred_name}
                if link.seeker.preferred_name
                else _("You can now act for them. Either of you can end this at any time."),
            )
        return redirect("profiles:dashboard")
    return render(request, "profiles/proxy_accept.html", {})


@login_required
@require_POST
def proxy_revoke(request, pk: int):
    link = get_object_or_404(ProxyLink, pk=pk, revoked_at__isnull=True)
    if request.user.pk not in (link.seeker_id, link.proxy_id):
        raise Http404
    services.proxy_link_revoke(link=link, actor=request.user)
    messages.success(request, _("The link is ended."))
    return redirect("profiles:dashboard")


@login_required
def data_download(request):
    body = json.dumps(privacy.user_export_data(request.user), indent=2, default=str)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="open-circle-my-data.json"'
    return response


@login_required
def account_delete(request):
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        user = request.user
        logout(request)
        privacy.user_delete(user=user, actor=user)
        messages.success(request, _("Your account and everything in it is deleted. Thank you for using Open Circle."))
        return redirect("home")
    return render(request, "profiles/delete_account.html", {"profile_count": request.user.profiles.count()})


@login_required
def profile_preview(request, pk: int):
    """ "See it as others do": the listing exactly as the chosen kind of viewer sees it, by the same rules
    as the page itself (Profile.page_open_to, Profile.sensitive_visible_to)."""
    profile = selectors.owned_profile(viewer=request.user, pk=pk)
    form = PreviewForm(request.GET or None)
    audience = Audience(form.cleaned_data["audience"]) if form.is_valid() else Audience.MEMBER
    if not form.is_bound:
        form = PreviewForm(initial={"audience": audience})
    anonymous = audience == Audience.ANYONE
    return render(
        request,
        "profiles/preview.html",
        {
            "profile": profile,
            "form": form,
            "audience": audience,
            "page_hidden": not profile.page_open_to(None if anonymous else request.user),
            "lived_experience": [
                vocab.translated_label(vocab.LIVED_EXPERIENCE, t)
                for t in profile.visible_lived_experience(None, audience=audience)
            ],
            "health_details": profile.visible_health_details(None, audience=audience),
            "claims": profile.claims.select_related("checked_by", "checked_by_organisation"),
            "is_owner": False,
            "prompts": prompts.answered(profile),
        },
    )


@login_required
def account_rename(request):
    """The name others see, on the account page (services.user_rename)."""
    form = NameForm(request.POST or None, initial={"name": request.user.preferred_name})
    rename = lambda: services.user_rename(user=request.user, actor=request.user, name=form.cleaned_data["name"])  # noqa: E731
    if done := _submit(request, form, rename, _("Your name is saved."), reverse("profiles:dashboard")):
        return done
    return render(request, "profiles/name.html", {"form": form})
