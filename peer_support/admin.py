"""Read-only: referrals, proposals and check-ins change only on the coordinator pages (peer_support.services)."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin

from .models import CheckIn, MatchProposal, Referral, ReferralEvent


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("pk", "organisation", "status", "created_at", "closed_at")
    list_filter = ("status", "organisation")
    # The person's own words stay out of the admin list and search.
    exclude = ("what_would_help",)


@admin.register(MatchProposal)
class MatchProposalAdmin(ReadOnlyAdmin):
    list_display = ("pk", "referral", "supporter_profile", "status", "proposed_at", "introduced_at", "ended_at")
    list_filter = ("status",)


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    # How it is going and notes are the person's words: not shown here.
    list_display = ("pk", "proposal", "week", "due_on", "done_at")
    exclude = ("how_it_is_going", "note")


@admin.register(ReferralEvent)
class ReferralEventAdmin(ReadOnlyAdmin):
    pass
