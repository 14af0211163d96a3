"""Profiles in the admin. Listings and trust claims change only through profiles.services, so an admin edit is
checked, normalised and written to the change log (every worker's search sees it) like any other; the rest is
read-only (people, organisations and proxies change on their own pages, through the same services)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from marketplace.admin import ReadOnlyAdmin, ServiceAdmin, run_service_action

from . import services
from .models import Organisation, OrganisationMembership, Profile, ProxyLink, TrustClaim, User


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("email", "preferred_name", "is_moderator", "is_staff", "date_joined")
    search_fields = ("email", "preferred_name")
    exclude = ("password",)


@admin.register(Profile)
class ProfileAdmin(ServiceAdmin):
    list_display = ("ref", "display_name", "role", "status", "outcode")
    list_filter = ("role", "status", "source")
    search_fields = ("ref", "display_name", "outcode")
    # Special-category fields are never shown to staff browsing the admin; only these can be corrected here.
    fields = (
        "ref",
        "user",
        "role",
        "source",
        "outcode",
        "status",
        "display_name",
        "about",
        "travel_km",
        "capacity",
        "hourly_rate",
        "dbs_level",
        "dbs_checked_on",
    )
    readonly_fields = ("ref", "user", "role", "source", "outcode")
    actions = ["pause_listings"]

    def has_add_permission(self, request):
        return False  # people start their own listings (or import_register brings them in)

    def service_save(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        services.profile_staff_update(profile=obj, actor=request.user, data=data)

    def service_delete(self, request, obj):
        services.profile_staff_remove(profile=obj, actor=request.user)

    @admin.action(description="Pause the selected listings", permissions=["change"])
    def pause_listings(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda profile: services.profile_staff_update(
                profile=profile, actor=request.user, data={"status": Profile.Status.PAUSED}
            ),
            "Listings paused",
        )


@admin.register(TrustClaim)
class TrustClaimAdmin(ReadOnlyAdmin):
    """Nobody types "document seen": a coordinator records it with the action, which records who and when."""

    list_display = ("profile", "kind", "status", "checked_by", "checked_by_organisation", "checked_on")
    list_filter = ("status", "kind")
    actions = ["record_document_seen"]

    @admin.action(description="I have seen the document for the selected claims (records you and today's date)")
    def record_document_seen(self, request, queryset):
        def record(claim):
            organisation = _coordinated_organisation(request.user, claim)
            if organisation is None:
                raise PermissionDenied(
                    "Only a coordinator of an organisation can record that they saw a document. "
                    "Ask the organisation's coordinator to do it."
                )
            services.claim_record_document_seen(claim=claim, actor=request.user, organisation=organisation)

        run_service_action(
            self, request, queryset.select_related("profile"), record, "Claims recorded as document seen"
        )


def _coordinated_organisation(user, claim):
    """The organisation the staff member coordinates: the listing's own if they coordinate it, else their first."""
    coordinated = Organisation.objects.filter(
        memberships__user=user, memberships__role=OrganisationMembership.Role.COORDINATOR
    ).order_by("pk")
    own = claim.profile.organisation_id
    if own and coordinated.filter(pk=own).exists():
        return coordinated.get(pk=own)
    return coordinated.first()


admin.site.register(Organisation, ReadOnlyAdmin)
admin.site.register(OrganisationMembership, ReadOnlyAdmin)
admin.site.register(ProxyLink, ReadOnlyAdmin)
