from django.contrib import admin

from .models import CheckIn, MatchProposal, Referral, ReferralEvent


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("pk", "organisation", "status", "created_at", "closed_at")
    list_filter = ("status", "organisation")
    # The person's own words stay out of the admin list and search.
    exclude = ("what_would_help",)


@admin.register(MatchProposal)
class MatchProposalAdmin(admin.ModelAdmin):
    list_display = ("pk", "referral", "supporter_profile", "status", "proposed_at", "introduced_at", "ended_at")
    list_filter = ("status",)


admin.site.register(CheckIn)
admin.site.register(ReferralEvent)
