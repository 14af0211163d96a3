"""Pages for ratings, moderation, safeguarding reports, polls, quality pages and the badge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace import csvsafe
from marketplace.forms import add_service_errors
from profiles.models import Profile
from profiles.selectors import profile_for_viewer
from profiles.vocabulary import ROLES

from . import selectors, services
from .forms import (
    AppealDecisionForm,
    AppealForm,
    CloseConcernForm,
    FlagForm,
    ModerationForm,
    PollForm,
    ProposalForm,
    QualityForm,
    RatingForm,
    ReplyForm,
    SafeguardingForm,
)
from .models import EDITABLE_FIELDS, Appeal, BadgeProposal, EngagementConfirmation, Panel, Rating, SafeguardingConcern


def _safeguarding_redirect(request, engagement_id=None):
    messages.warning(request, _("We have not saved a rating. Please tell us about the safeguarding concern here."))
    url = reverse("ratings:safeguarding")
    return redirect(f"{url}?engagement={engagement_id}" if engagement_id else url)


@login_required
def mine(request):
    user = request.user
    return render(
        request,
        "ratings/mine.html",
        {
            "rows": selectors.my_engagements(user),
            "received": selectors.ratings_received(user),
            "confirmations": [c for c in _open_confirmations(user) if c.counterpart_id() == user.pk],
        },
    )


def _open_confirmations(user):
    return EngagementConfirmation.objects.filter(
        Q(seeker=user) | Q(supporter_profile__user=user), confirmed_at__isnull=True, declined_at__isnull=True
    ).select_related("supporter_profile", "seeker", "requested_by")


@login_required
def rate(request, pk: int):
    engagement = selectors.engagement_for_party(viewer=request.user, pk=pk)
    existing = Rating.objects.filter(engagement=engagement, rater=request.user).first()
    if existing:
        return redirect("ratings:detail", pk=existing.pk)
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("about_safeguarding"):
            return _safeguarding_redirect(request, engagement.pk)
        if form.is_valid():
            try:
                rating = services.rating_create(actor=request.user, engagement=engagement, data=form.service_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _thanks(rating))
                return redirect("ratings:detail", pk=rating.pk)
    other = engagement.other_party(request.user)
    return render(request, "ratings/rate.html", {"form": form, "engagement": engagement, "other": other})


def _thanks(rating: Rating) -> str:
    if rating.status == Rating.Status.PENDING_REVIEW:
        return _(
            "Thank you. Your rating is saved. The other person will not see it until they have rated too, or for"
            " 14 days. A moderator will read it before it is published."
        )
    return _(
        "Thank you. Your rating is saved. The other person will not see it until they have rated too, or for 14 days."
    )


@login_required
def edit(request, pk: int):
    rating = selectors.own_rating(viewer=request.user, pk=pk)
    if not rating.is_editable():
        messages.warning(
            request, _("This rating can no longer be changed: it has been shown or is more than 14 days old.")
        )
        return redirect("ratings:detail", pk=rating.pk)
    initial = {f: getattr(rating, f) for f in EDITABLE_FIELDS}
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("about_safeguarding"):
            return _safeguarding_redirect(request, rating.engagement_id)
        if form.is_valid():
            try:
                services.rating_update(actor=request.user, rating=rating, data=form.service_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("ratings:detail", pk=rating.pk)
    return render(request, "ratings/rate.html", {"form": form, "rating": rating, "other": rating.rated})


@login_required
def detail(request, pk: int):
    rating = selectors.rating_for_viewer(viewer=request.user, pk=pk)
    return render(
        request,
        "ratings/detail.html",
        {
            "rating": rating,
            "revealed": rating.is_revealed(),
            "reply": getattr(rating, "reply", None),
            "reply_form": ReplyForm() if rating.rated_id == request.user.pk else None,
            "flag_form": FlagForm() if rating.rater_id != request.user.pk else None,
        },
    )


@login_required
@require_POST
def reply(request, pk: int):
    rating = selectors.rating_for_viewer(viewer=request.user, pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.rating_reply(actor=request.user, rating=rating, body=form.cleaned_data["body"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your reply is shown beside the review."))
    else:
        messages.error(request, _("Write a reply of up to 2,000 characters."))
    return redirect("ratings:detail", pk=rating.pk)


@login_required
def flag(request, pk: int):
    rating = selectors.rating_for_viewer(viewer=request.user, pk=pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_flag(actor=request.user, rating=rating, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. A moderator will read this review."))
            return redirect("ratings:detail", pk=rating.pk)
    return render(request, "ratings/flag.html", {"form": form, "rating": rating})


def profile_reviews(request, ref: str):
    profile = profile_for_viewer(ref=ref, viewer=request.user)  # listed, open to this viewer, not blocked
    viewer = request.user if request.user.is_authenticated else None
    return render(
        request,
        "ratings/profile_reviews.html",
        {
            "profile": profile,
            "ratings": selectors.public_ratings(profile, viewer)[:50],
        },
    )


@login_required
def poll(request, pk: int):
    engagement = selectors.engagement_for_party(viewer=request.user, pk=pk)
    if engagement.seeker_id != request.user.pk:
        raise Http404  # the question is for the person who was supported
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.poll_answer(actor=request.user, engagement=engagement, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you for answering."))
            return redirect("ratings:mine")
    return render(request, "ratings/poll.html", {"form": form, "engagement": engagement})


@login_required
@require_POST
def confirm_request(request, ref: str):
    profile = get_object_or_404(Profile.objects.listed(), ref=ref)
    try:
        services.confirmation_request(actor=request.user, supporter_profile=profile)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("We have asked %(name)s to confirm you worked together.") % {"name": profile.display_name},
        )
    return redirect("ratings:mine")


@login_required
@require_POST
def confirm_respond(request, pk: int):
    confirmation = get_object_or_404(EngagementConfirmation, pk=pk)
    if confirmation.counterpart_id() != request.user.pk:
        raise Http404
    try:
        engagement = services.confirmation_respond(
            actor=request.user, confirmation=confirmation, confirm=request.POST.get("answer") == "yes"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ratings:mine")
    messages.success(
        request, _("Confirmed. You can now rate each other.") if engagement else _("Thank you. We have noted that.")
    )
    return redirect("ratings:mine")


# Safeguarding ----------------------------------------------------------------------------------


@login_required
def safeguarding(request):
    form = SafeguardingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        engagement = None
        if request.GET.get("engagement", "").isdigit():
            try:
                engagement = selectors.engagement_for_party(viewer=request.user, pk=int(request.GET["engagement"]))
            except Http404:
                engagement = None  # a report is never refused over a wrong link
        concern = services.safeguarding_report(actor=request.user, engagement=engagement, **form.cleaned_data)
        return redirect("ratings:safeguarding_done", pk=concern.pk)
    return render(request, "ratings/safeguarding.html", {"form": form})


@login_required
def safeguarding_done(request, pk: int):
    concern = get_object_or_404(SafeguardingConcern, pk=pk, reported_by=request.user)
    return render(request, "ratings/safeguarding_done.html", {"concern": concern})


# Moderation ------------------------------------------------------------------------------------


@login_required
def queue(request):
    return render(
        request,
        "ratings/queue.html",
        {
            "ratings": selectors.review_queue(request.user),
            "concerns": selectors.safeguarding_queue(request.user),
            "alerts": selectors.alerts_for(request.user),
        },
    )


@login_required
def moderate(request, pk: int):
    selectors.review_queue(request.user)  # 404 for anyone who is not a moderator
    rating = get_object_or_404(Rating.objects.select_related("rated_profile"), pk=pk)
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.rating_moderate(actor=request.user, rating=rating, **form.cleaned_data)
        messages.success(request, _("Your decision is recorded."))
        return redirect("ratings:queue")
    return render(request, "ratings/moderate.html", {"rating": rating, "form": form})


@login_required
def concern(request, pk: int):
    concern = get_object_or_404(selectors.safeguarding_queue(request.user), pk=pk)
    form = CloseConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.safeguarding_close(actor=request.user, concern=concern, note=form.cleaned_data["note"])
        messages.success(request, _("The concern is closed and your note is recorded."))
        return redirect("ratings:queue")
    return render(request, "ratings/concern.html", {"concern": concern, "form": form})


@login_required
def alerts(request):
    return render(request, "ratings/alerts.html", {"alerts": selectors.alerts_for(request.user)})


# Quality pages ---------------------------------------------------------------------------------


def quality_index(request):
    form = QualityForm(request.GET or None)
    if form.is_valid():
        return redirect("ratings:quality", area=form.cleaned_data["area"].upper(), role=form.cleaned_data["role"])
    return render(request, "ratings/quality_index.html", {"form": form})


def _quality_data(area: str, role: str) -> dict:
    if role not in ("pa", "peer_advisor", "broker") or not area.isalpha() or len(area) > 2:
        raise Http404
    data = selectors.area_quality(area, role)
    data["role_label"] = ROLES[role]
    top = max([d["count"] for d in data["distribution"]] + [1])
    # Chart geometry is worked out here so the template stays plain SVG.
    for i, row in enumerate(data["distribution"]):
        row.update(y=i * 32, bar=round(300 * row["count"] / top))
        row["label_x"] = 66 + row["bar"]
    for i, row in enumerate(data["trend"]):
        height = round(float(row["mean"]) * 20)
        row.update(x=i * 60, height=height, bar_y=116 - height, value_y=112 - height)
    data["trend_width"] = max(60 * len(data["trend"]), 60)
    return data


def quality(request, area: str, role: str):
    return render(request, "ratings/quality.html", _quality_data(area, role))


def quality_csv(request, area: str, role: str):
    data = _quality_data(area, role)
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="quality-{data["area"]}-{role}.csv"'
    writer = csvsafe.writer(response)
    writer.writerow(["table", "key", "count", "value"])
    for row in data["distribution"]:
        writer.writerow(["overall_rating_distribution", row["score"], row["count"], ""])
    for row in data["trend"]:
        writer.writerow(["monthly_mean_overall", row["month"].strftime("%Y-%m"), row["count"], row["mean"]])
    for row in data["poll"] or []:
        writer.writerow(["would_recommend", row["answer"], row["count"], f"{row['percent']}%"])
    return response


# Community recommended -------------------------------------------------------------------------


def panels(request):
    return render(
        request, "ratings/panels.html", {"panels": Panel.objects.select_related("organisation").order_by("name")}
    )


def panel(request, pk: int):
    panel = get_object_or_404(Panel, pk=pk)
    user = request.user
    is_member = user.is_authenticated and panel.members.filter(user=user, left_at__isnull=True).exists()
    return render(
        request,
        "ratings/panel.html",
        {
            "panel": panel,
            "badges": panel.badges.filter(withdrawn_at__isnull=True).select_related("profile"),
            "members": panel.members.filter(left_at__isnull=True).select_related("user"),
            "proposals": panel.proposals.select_related("profile").prefetch_related("votes") if is_member else [],
            "is_member": is_member,
        },
    )


@login_required
def proposal_new(request, pk: int, ref: str):
    panel = get_object_or_404(Panel, pk=pk, members__user=request.user, members__left_at__isnull=True)
    profile = get_object_or_404(Profile, ref=ref)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_create(actor=request.user, panel=panel, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your proposal is open for the panel to vote on."))
            return redirect("ratings:panel", pk=panel.pk)
    return render(request, "ratings/proposal_new.html", {"form": form, "panel": panel, "profile": profile})


@login_required
@require_POST
def vote(request, pk: int):
    proposal = get_object_or_404(BadgeProposal, pk=pk)
    try:
        services.panel_vote(actor=request.user, proposal=proposal, in_favour=request.POST.get("vote") == "yes")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your vote is recorded."))
    return redirect("ratings:panel", pk=proposal.panel_id)


@login_required
def appeal(request, pk: int):
    proposal = get_object_or_404(BadgeProposal, pk=pk, profile__user=request.user)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_create(actor=request.user, proposal=proposal, grounds=form.cleaned_data["grounds"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your appeal is recorded. Someone who did not vote will decide it."))
            return redirect("ratings:panel", pk=proposal.panel_id)
    return render(request, "ratings/appeal.html", {"form": form, "proposal": proposal})


@login_required
def appeal_decide(request, pk: int):
    appeal = get_object_or_404(Appeal.objects.select_related("proposal__panel", "proposal__profile"), pk=pk)
    if not services.may_decide_appeal(request.user, appeal.proposal):
        raise Http404
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_decide(actor=request.user, appeal=appeal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The appeal decision is recorded."))
            return redirect("ratings:panel", pk=appeal.proposal.panel_id)
    return render(request, "ratings/appeal_decide.html", {"form": form, "appeal": appeal})
