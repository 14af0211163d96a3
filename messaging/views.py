"""Pages. They work without JavaScript (post, redirect, get); messaging.js adds live updates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.forms import add_service_errors
from profiles import selectors as profile_selectors
from profiles.services import block_create

from . import safety, selectors, services
from .forms import (
    ContactRequestForm,
    DeclineForm,
    MessageForm,
    ModerationActionForm,
    NotificationForm,
    ReportForm,
    ShareContactForm,
)

BOTH_INTERESTED = gettext_lazy("You are both interested: %(name)s is interested in you too. Your conversation is open.")


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def contact_request_create(request, ref: str):
    profile = profile_selectors.profile_for_viewer(ref=ref, viewer=request.user)
    form = ContactRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.contact_request_create(
                sender=request.user, profile=profile, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            if sent.conversation_id:
                messages.success(request, BOTH_INTERESTED % {"name": profile.display_name})
                return redirect("messaging:conversation", pk=sent.conversation_id)
            messages.success(
                request,
                _("Your request is sent to %(name)s. We will let you know when they reply.")
                % {"name": profile.display_name},
            )
            return redirect("messaging:requests")
    return render(request, "messaging/contact_request_form.html", {"profile": profile, "form": form})


@login_required
def request_list(request):
    return render(
        request,
        "messaging/requests.html",
        {
            "received": selectors.requests_received(viewer=request.user).filter(status="open"),
            "answered": selectors.requests_received(viewer=request.user).exclude(status="open")[:20],
            "sent": selectors.requests_sent(viewer=request.user)[:50],
            "decline_form": DeclineForm(),
        },
    )


@login_required
@require_POST
def request_accept(request, pk: int):
    contact_request = selectors.request_for_recipient(viewer=request.user, pk=pk)
    try:
        conversation = services.contact_request_accept(contact_request=contact_request, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("messaging:requests")
    messages.success(
        request, _("You accepted %(name)s's request. You can talk here now.") % {"name": contact_request.sender}
    )
    return redirect(conversation)


@login_required
@require_POST
def request_decline(request, pk: int):
    contact_request = selectors.request_for_recipient(viewer=request.user, pk=pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.contact_request_decline(contact_request=contact_request, actor=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You declined %(name)s's request. We have let them know politely.") % {"name": contact_request.sender},
        )
    return redirect("messaging:requests")


@login_required
def inbox(request):
    archived = request.GET.get("archived") == "1"
    return render(
        request,
        "messaging/inbox.html",
        {
            "memberships": selectors.memberships_for(viewer=request.user, archived=archived),
            "archived": archived,
            "open_requests": selectors.requests_received(viewer=request.user).filter(status="open").count(),
        },
    )


def _conversation_context(request, membership, form):
    conversation = membership.conversation
    page, has_older = selectors.messages_before(
        conversation=conversation, viewer_id=request.user.pk, before=_int(request.GET.get("before"))
    )
    for message in page:
        message.safety_note = safety.recipient_note(message) if message.sender_id != request.user.pk else ""
    receipts = selectors.read_by_others(conversation=conversation, viewer=request.user)
    others = selectors.people_in(conversation, exclude=request.user)
    return {
        "conversation": conversation,
        "membership": membership,
        "page": page,
        "has_older": has_older,
        "last_id": page[-1].pk if page else 0,
        "others": others,
        "receipts": receipts.values(),
        # For messaging.js, which keeps "Seen by ..." up to date as messages and read events arrive.
        "read_state": {str(u.pk): {"name": str(u), "last_read": receipts.get(u.pk, ["", 0])[1]} for u in others},
        # messaging.js writes these for messages arriving live; %(…)s parts are filled in there.
        "js_text": {
            "you": _("You"),
            "meta": _("%(who)s, %(when)s"),
            "note": _("Please note: %(note)s"),
            "report": _("Report this message"),
            "new_message": _("New message from %(name)s: %(body)s"),
            "seen_by": _("Seen by %(name)s."),
            "reconnecting": _("Live updates paused: reconnecting."),
            "removed": _("This message was removed by a moderator."),
        },
        "shared": selectors.shared_contacts(membership=membership),
        "form": form,
        "share_form": ShareContactForm(initial={"details": membership.contact_details or request.user.email}),
    }


@login_required
def conversation_detail(request, pk: int):
    membership = selectors.membership_for(viewer=request.user, conversation_id=pk)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_send(
                conversation=membership.conversation, sender=request.user, body=form.cleaned_data["body"]
            )
        except services.MessageRateLimited as error:
            add_service_errors(form, error)
            status = 429
        except ValidationError as error:
            add_service_errors(form, error)
            status = 400
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        else:
            if message.safety_flags:
                messages.warning(request, safety.SENDER_WARNING)
            return redirect(f"{membership.conversation.get_absolute_url()}#message-{message.pk}")
    elif request.method == "POST":
        status = 400
    if membership.is_active and not request.GET.get("before"):
        services.conversation_mark_read(conversation=membership.conversation, user=request.user)
    return render(
        request, "messaging/conversation.html", _conversation_context(request, membership, form), status=status
    )


@login_required
@require_POST
def conversation_share(request, pk: int):
    membership = selectors.membership_for(viewer=request.user, conversation_id=pk)
    share = request.POST.get("share") != "0"
    form = ShareContactForm(request.POST)
    details = form.data.get("details", "")
    try:
        services.contact_share(conversation=membership.conversation, user=request.user, details=details, share=share)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            _("You chose to share your contact details. They show only when the other person chooses to share too.")
            if share
            else _("You stopped sharing your contact details."),
        )
    return redirect(membership.conversation)


@login_required
@require_POST
def conversation_block(request, pk: int, user_id: int):
    """Block someone from inside a conversation: one step, wherever the person meets them."""
    membership = selectors.membership_for(viewer=request.user, conversation_id=pk)
    other = next(
        (u for u in selectors.people_in(membership.conversation, exclude=request.user) if u.pk == user_id), None
    )
    if other is None:
        raise Http404
    block_create(blocker=request.user, blocked=other)
    messages.success(
        request,
        _("You have blocked %(name)s: you will not see or message each other on Open Circle.") % {"name": other},
    )
    return redirect("messaging:inbox")


@login_required
@require_POST
def conversation_leave(request, pk: int):
    membership = selectors.membership_for(viewer=request.user, conversation_id=pk)
    try:
        services.conversation_leave(conversation=membership.conversation, user=request.user)
    except PermissionDenied:
        messages.info(request, _("You had already left this conversation."))
    else:
        messages.success(request, _("You left the conversation. The others can no longer send you messages there."))
    return redirect("messaging:inbox")


@login_required
@require_POST
def conversation_archive(request, pk: int):
    membership = selectors.membership_for(viewer=request.user, conversation_id=pk)
    archive = request.POST.get("archive") != "0"
    try:
        services.conversation_archive(conversation=membership.conversation, user=request.user, archived=archive)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Conversation archived.") if archive else _("Conversation moved back to your inbox.")
        )
    return redirect("messaging:inbox")


def _report_page(request, form, *, subject: str, heading: str, **target):
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(reporter=request.user, **form.cleaned_data, **target)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError):
                add_service_errors(form, error)
            else:
                form.add_error(None, str(error))
        else:
            return redirect("messaging:report-thanks", pk=report.pk)
    return render(
        request,
        "messaging/report_form.html",
        {"form": form, "subject": subject, "heading": heading},
        status=400 if form.errors else 200,
    )


@login_required
def report_message(request, message_id: int):
    message = selectors.message_for_member(viewer=request.user, message_id=message_id)
    if message.sender_id == request.user.pk or message.sender_id is None:
        messages.info(request, _("You can only report other people's messages."))
        return redirect(message.conversation)
    return _report_page(
        request,
        ReportForm(request.POST or None),
        subject=_("a message from %(name)s") % {"name": message.sender},
        heading=_("Report a message from %(name)s") % {"name": message.sender},
        message=message,
    )


@login_required
def report_person(request, ref: str):
    profile = profile_selectors.profile_for_viewer(ref=ref, viewer=request.user)
    if profile.user is None or profile.user_id == request.user.pk:
        messages.info(request, _("There is nobody to report on this listing."))
        return redirect(profile)
    return _report_page(
        request,
        ReportForm(request.POST or None),
        subject=profile.display_name,
        heading=_("Report %(name)s") % {"name": profile.display_name},
        reported_user=profile.user,
    )


@login_required
def report_thanks(request, pk: int):
    report = selectors.report_for_reporter(viewer=request.user, pk=pk)
    return render(request, "messaging/report_thanks.html", {"report": report})


@login_required
def notification_settings(request):
    preference = services.notification_preference_for(request.user)
    form = NotificationForm(request.POST or None, initial={"frequency": preference.frequency})
    if request.method == "POST" and form.is_valid():
        services.notification_preference_set(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Your email choice is saved."))
        return redirect("messaging:settings")
    return render(request, "messaging/settings.html", {"form": form})


@login_required
def moderation_queue(request):
    status = request.GET.get("status", "open")
    reports = selectors.moderation_queue(
        viewer=request.user, status=status if status in {"open", "actioned", "closed"} else ""
    )
    return render(request, "messaging/moderation_queue.html", {"reports": reports, "status": status})


@login_required
def moderation_case(request, pk: int):
    report = selectors.report_for_moderator(viewer=request.user, pk=pk)
    form = ModerationActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_act(report=report, moderator=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Done. The action is recorded in the case history."))
            return redirect("messaging:moderation-case", pk=report.pk)
    actions = report.actions.select_related("actor")
    return render(request, "messaging/moderation_case.html", {"report": report, "form": form, "actions": actions})
