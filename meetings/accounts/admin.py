"""Second factors in the admin: who has one, and removing it for someone who lost their
phone and their recovery codes. The keys are never shown: whoever saw one could make the
person's codes."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.accounts.permissions import is_administrator

admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_module_permission(self, request) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_administrator(request.user)

    def delete_model(self, request, obj):
        StaticDevice.objects.filter(user=obj.user).delete()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        StaticDevice.objects.filter(user__in=queryset.values("user")).delete()
        super().delete_queryset(request, queryset)
