"""Support plan pages. Thin: forms type the input, planning.services changes things, planning.selectors reads
with the permission rules (another person's plan is a 404). No plan text ever goes in a URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from payments.models import Budget, Package, pounds
from profiles import services as profile_services
from profiles.models import User

from . import documents, selectors, services
from .forms import (
    CommentForm,
    ConsentForm,
    EditLineForm,
    EmployerForm,
    LineForm,
    RegisterLineForm,
    SectionForm,
    ShareForm,
    StartForm,
    add_service_errors,
    pence_or_none,
    pounds_or_blank,
)
from .models import Plan
from .prompts import BY_KEY, HELP_LEVELS, HELP_LEVELS_EASY, SECTION_KEYS, SECTIONS

LINE_ERRORS = {"hourly": "hourly", "weekly": "weekly", "amount": "amount"}


def _sections(plan: Plan) -> list[dict]:
    return [
        {
            "section": s,
            "text": plan.section_text(s.key),
            "level": plan.help_level(s.key),
            "level_words": HELP_LEVELS[plan.help_level(s.key)],
        }
        for s in SECTIONS
    ]


@login_required
def home(request):
    plans = list(selectors.plans_for(request.user))
    form = StartForm(initial={"starts_on": timezone.localdate()})
    if request.method == "POST":
        form = StartForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_create(
                    owner=request.user,
                    actor=request.user,
                    consent=form.cleaned_data["consent"],
                    starts_on=form.cleaned_data["starts_on"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("planning:section", plan.pk, SECTION_KEYS[0])
    shared = list(selectors.plans_shared_with(request.user))
    return render(request, "planning/home.html", {"plans": plans, "shared": shared, "form": form})


@login_required
def overview(request, pk: int):
    plan, editable = selectors.plan_for_reader(viewer=request.user, pk=pk)
    if editable and plan.consent_given_at is None:
        return redirect("planning:consent", plan.pk)
    cost, rates_note = selectors.plan_costing(plan)
    return render(
        request,
        "planning/overview.html",
        {
            "plan": plan,
            "editable": editable,
            "sections": _sections(plan),
            "cost": cost,
            "rates_note": rates_note,
            "versions": plan.versions.all()[:20],
            "comments": plan.comments.select_related("author"),
            "comment_form": CommentForm(),
            "what_ifs": plan.what_ifs.all() if editable else [],
            "wants_help": selectors.parts_wanting_help(plan),
        },
    )


@login_required
def consent(request, pk: int):
    plan = selectors.plan_for_editor(viewer=request.user, pk=pk)
    if plan.owner_id != request.user.pk:
        # Someone acting for the person: only the person can agree to keep their plan. Ask them to confirm.
        if request.method == "POST":
            if plan.consent_given_at is None:
                profile_services.consent_request(
                    person=plan.owner, helper=request.user, key=f"plan-consent:{plan.pk}", link=request.path
                )
                messages.success(request, _("We have asked them to confirm from their own sign-in."))
            return redirect("planning:consent", plan.pk)
        return render(
            request,
            "planning/consent.html",
            {"plan": plan, "only_the_person": profile_services.only_the_person_message(plan.owner)},
        )
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["consent"]:
            services.plan_consent_give(plan=plan, actor=request.user)
            return redirect("planning:overview", plan.pk)
        form.add_error(
            "consent", _("Tick the box to agree, or leave this page. Nothing you write is saved until you do.")
        )
    return render(request, "planning/consent.html", {"plan": plan, "form": form})


@login_required
def section(request, pk: int, key: str):
    plan = selectors.plan_for_editor(viewer=request.user, pk=pk)
    if key not in BY_KEY:
        raise Http404
    if plan.consent_given_at is None:
        return redirect("planning:consent", plan.pk)
    index = SECTION_KEYS.index(key)
    next_key = SECTION_KEYS[index + 1] if index + 1 < len(SECTION_KEYS) else None
    after = (
        reverse("planning:section", args=[plan.pk, next_key])
        if next_key
        else reverse("planning:overview", args=[plan.pk])
    )
    form = SectionForm(
        request.POST or None, initial={"text": plan.section_text(key), "help_level": plan.help_level(key)}
    )
    if plan.easy_read:
        form.fields["help_level"].choices = list(HELP_LEVELS_EASY.items())
    if request.method == "POST":
        if "skip" in request.POST:
            messages.info(
                request,
                _("You skipped “%(part)s”. You can come back to it from your plan.") % {"part": BY_KEY[key].title},
            )
            return redirect(after)
        if form.is_valid():
            try:
                services.section_save(
                    plan=plan,
                    actor=request.user,
                    key=key,
                    text=form.cleaned_data["text"],
                    help_level=form.cleaned_data["help_level"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved “%(title)s”.") % {"title": BY_KEY[key].title})
                if "save_and_stay" in request.POST:
                    return redirect("planning:section", plan.pk, key)
                return redirect(after)
    return render(
        request,
        "planning/section.html",
        {
            "plan": plan,
            "s": BY_KEY[key],
            "form": form,
            "step": index + 1,
            "steps": len(SECTION_KEYS),
            "next_key": next_key,
            "previous_key": SECTION_KEYS[index - 1] if index else None,
        },
    )


def _employer_initial(plan: Plan) -> dict:
    return {
        "title": plan.title,
        "starts_on": plan.starts_on,
        "employment_allowance": plan.employment_allowance,
        "insurance": pounds_or_blank(plan.insurance_pence),
        "payroll": pounds_or_blank(plan.payroll_pence_month),
        "contingency_percent": plan.contingency_percent,
        "easy_read": plan.easy_read,
    }


@login_required
def costing(request, pk: int):
    plan = selectors.plan_for_editor(viewer=request.user, pk=pk)
    if plan.consent_given_at is None:
        return redirect("planning:consent", plan.pk)
    line_form = LineForm(initial={"times_per_year": 1})
    employer_form = EmployerForm(initial=_employer_initial(plan))
    if request.method == "POST":
        if request.POST.get("form") == "line":
            line_form = LineForm(request.POST)
            if line_form.is_valid():
                try:
                    services.line_add(
                        plan=plan, actor=request.user, kind=line_form.cleaned_data["kind"], **line_form.service_kwargs()
                    )
                except ValidationError as error:
                    add_service_errors(line_form, error, LINE_ERRORS)
                else:
                    messages.success(request, _("Added “%(title)s”.") % {"title": line_form.cleaned_data["title"]})
                    return redirect(reverse("planning:costing", args=[plan.pk]) + "#lines")
        elif request.POST.get("form") == "employer":
            employer_form = EmployerForm(request.POST)
            if employer_form.is_valid():
                data = employer_form.cleaned_data
                try:
                    services.plan_settings_save(
                        plan=plan,
                        actor=request.user,
                        title=data["title"],
                        starts_on=data["starts_on"],
                        employment_allowance=data["employment_allowance"],
                        insurance_pence=pence_or_none(data.get("insurance")) or 0,
                        payroll_pence_month=pence_or_none(data.get("payroll")) or 0,
                        contingency_percent=data.get("contingency_percent") or 0,
                        easy_read=data["easy_read"],
                    )
                except ValidationError as error:
                    add_service_errors(employer_form, error)
                else:
                    messages.success(request, _("Saved your employer costs."))
                    return redirect(reverse("planning:costing", args=[plan.pk]) + "#totals")
    cost, rates_note = selectors.plan_costing(plan)
    return render(
        request,
        "planning/costing.html",
        {
            "plan": plan,
            "cost": cost,
            "rates_note": rates_note,
            "lines": {line.pk: line for line in plan.lines.all()},
            "line_form": line_form,
            "employer_form": employer_form,
            "budget": Budget.objects.filter(user_id=plan.owner_id).first(),
            "is_self": plan.owner_id == request.user.pk,
        },
    )


@login_required
def line_edit(request, pk: int):
    line = selectors.line_for_editor(viewer=request.user, pk=pk)
    plan = line.plan
    form = EditLineForm(request.POST or None, initial=LineForm.initial_for(line))
    if request.method == "POST" and form.is_valid():
        changes = form.service_kwargs()
        if line.package_id:
            changes.pop("amount_pence")
        try:
            services.line_update(line=line, actor=request.user, **changes)
        except ValidationError as error:
            add_service_errors(form, error, LINE_ERRORS)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": line.title})
            return redirect(reverse("planning:costing", args=[plan.pk]) + "#totals")
    return render(request, "planning/line_edit.html", {"plan": plan, "line": line, "form": form})


@login_required
@require_POST
def line_remove(request, pk: int):
    line = selectors.line_for_editor(viewer=request.user, pk=pk)
    plan = line.plan
    services.line_remove(line=line, actor=request.user)
    messages.success(request, _("Removed the line."))
    return redirect(reverse("planning:costing", args=[plan.pk]) + "#lines")


@login_required
def suggestions(request, pk: int):
    plan = selectors.plan_for_editor(viewer=request.user, pk=pk)
    if plan.consent_given_at is None:
        return redirect("planning:consent", plan.pk)
    wanted = selectors.parts_wanting_help(plan)
    found = selectors.suggestions(plan, request.user) if wanted else {}
    return render(
        request,
        "planning/suggestions.html",
        {
            "plan": plan,
            "wanted": [BY_KEY[key] for key in wanted],
            "found": found,
            "brokers": (found or {}).get("broker", []),
            "peers": (found or {}).get("peer_advisor", []),
        },
    )


@login_required
@require_POST
def add_from_register(request, pk: int):
    plan = selectors.plan_for_editor(viewer=request.user, pk=pk)
    form = RegisterLineForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Enter the hours a week in quarter hours, for example 2 or 2.5, then add them again.")
        )
        return redirect("planning:suggestions", plan.pk)
    profile = selectors.register_profile_for(viewer=request.user, ref=form.cleaned_data["ref"])
    package = None
    if form.cleaned_data.get("package"):
        package = Package.objects.filter(pk=form.cleaned_data["package"], profile=profile).first()
        if package is None:
            raise Http404
    try:
        line = services.line_add_from_register(
            plan=plan,
            actor=request.user,
            profile=profile,
            package=package,
            hours_per_week=form.cleaned_data.get("hours_per_week"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("planning:suggestions", plan.pk)
    messages.success(request, _("Added “%(title)s” to your costing.") % {"title": line.title})
    return redirect(reverse("planning:costing", args=[plan.pk]) + "#lines")


@login_required
def delete(request, pk: int):
    plan = selectors.plan_for_editor(viewer=request.user, pk=pk)
    if request.method == "POST":
        services.plan_delete(plan=plan, actor=request.user)
        messages.success(request, _("The plan and all its saved versions are deleted."))
        return redirect("planning:home")
    return render(request, "planning/delete.html", {"plan": plan})


@login_required
@require_POST
def what_if(request, pk: int):
    plan = selectors.plan_for_editor(viewer=request.user, pk=pk)
    try:
        copy = services.plan_copy_what_if(plan=plan, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("planning:overview", plan.pk)
    messages.success(request, _("Made a “what if” copy. Change it here, then compare it with your plan."))
    return redirect("planning:costing", copy.pk)


@login_required
def compare(request, pk: int):
    plan = selectors.plan_for_editor(viewer=request.user, pk=pk)
    original = plan.what_if_of or plan
    columns = []
    for candidate in [original, *original.what_ifs.all()]:
        cost, _notes = selectors.plan_costing(candidate)
        columns.append({"plan": candidate, "cost": cost})
    return render(request, "planning/compare.html", {"plan": original, "columns": columns})


def _share_people(plan: Plan) -> list[tuple[int, str]]:
    """People on the plan's lines from the register, offered as who to share with."""
    seen: dict[int, str] = {}
    for line in plan.lines.filter(profile__isnull=False).select_related("profile"):
        if line.profile.user_id and line.profile.user_id not in seen:
            seen[line.profile.user_id] = f"{line.profile.display_name} ({line.profile.get_role_display()})"
    return list(seen.items())


@login_required
def share(request, pk: int):
    plan = selectors.plan_for_editor(viewer=request.user, pk=pk)
    people = _share_people(plan)
    form = ShareForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        if data.get("person"):
            person = User.objects.filter(pk=int(data["person"]), pk__in=[uid for uid, _label in people]).first()
        elif data.get("email"):
            person = User.objects.filter(email__iexact=data["email"], is_active=True).first()
        if person is None:
            form.add_error(
                "email",
                _("We could not find an Open Circle account with that email. Ask them to join, then share again."),
            )
        else:
            try:
                services.plan_share(plan=plan, actor=request.user, user=person, role=data["role"])
            except ValidationError as error:
                add_service_errors(form, error, {"person": "email"})
            else:
                messages.success(request, _("Shared. They can read your plan and comment, but not change it."))
                return redirect("planning:share", plan.pk)
    return render(request, "planning/share.html", {"plan": plan, "form": form, "shares": selectors.active_shares(plan)})


@login_required
@require_POST
def share_revoke(request, pk: int):
    item = selectors.share_for_editor(viewer=request.user, pk=pk)
    services.share_revoke(share=item, actor=request.user)
    messages.success(request, _("They can no longer see your plan."))
    return redirect("planning:share", item.plan_id)


@login_required
@require_POST
def comment(request, pk: int):
    plan, _editable = selectors.plan_for_reader(viewer=request.user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(plan=plan, actor=request.user, text=form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write a comment (up to 2,000 characters) before sending it."))
    return redirect(reverse("planning:overview", args=[plan.pk]) + "#comments")


def _print_context(request, pk: int) -> dict:
    plan, _editable = selectors.plan_for_reader(viewer=request.user, pk=pk)
    cost, rates_note = selectors.plan_costing(plan)
    version = plan.versions.first()
    return {"plan": plan, "sections": _sections(plan), "cost": cost, "rates_note": rates_note, "version": version}


@login_required
def print_view(request, pk: int):
    return render(request, "planning/print.html", _print_context(request, pk))


@login_required
def download(request, pk: int):
    """The plan as a web page file that any browser or word processor opens (the Word document is download_docx)."""
    html = render_to_string("planning/download.html", _print_context(request, pk), request=request)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="support-plan.html"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def download_docx(request, pk: int):
    """The plan as a Word document (.docx) for the council's sign-off (planning.documents)."""
    context = _print_context(request, pk)
    data = documents.plan_docx(
        plan=context["plan"], cost=context["cost"], rates_note=context["rates_note"], version=context["version"]
    )
    response = HttpResponse(data, content_type=documents.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{documents.FILENAME}"'
    response["Cache-Control"] = "no-store"
    return response


__all__ = ["pounds"]
