from django.contrib import admin

from .models import Organisation, OrganisationMembership, Profile, ProxyLink, TrustClaim, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "preferred_name", "is_moderator", "is_staff", "date_joined")
    search_fields = ("email", "preferred_name")
    exclude = ("password",)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("ref", "display_name", "role", "status", "outcode")
    list_filter = ("role", "status", "source")
    search_fields = ("ref", "display_name", "outcode")
    # Special-category fields are not shown to staff browsing the admin.
    exclude = ("lived_experience", "health_details")


admin.site.register(Organisation)
admin.site.register(OrganisationMembership)
admin.site.register(TrustClaim)
admin.site.register(ProxyLink)
