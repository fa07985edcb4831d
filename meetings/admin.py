"""Django admin for administrators: every model, searchable and filterable."""

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import router
from django.urls import reverse
from django.utils.html import format_html

from meetings import classification, models, services

HIDDEN_DEPENDANTS = "Records you are not cleared to see depend on this, so it cannot be deleted here."


def _marking(obj) -> int:
    """The classification an object inherits: its own, its meeting's, or its action's meeting's."""
    if isinstance(obj, models.Meeting):
        return obj.classification
    meeting = getattr(obj, "meeting", None) or getattr(getattr(obj, "action", None), "meeting", None)
    return meeting.classification if meeting is not None else 0


def _delete_reaches_hidden_records(objs, user, using) -> bool:
    collector = NestedObjects(using=using)
    collector.collect(objs)
    reached = [obj for instances in collector.data.values() for obj in instances]
    reached += list(collector.protected)
    reached += [obj for batch in collector.fast_deletes for obj in batch]
    return any(_marking(obj) > user.clearance for obj in reached)


class ClearanceAwareAdmin(admin.ModelAdmin):
    """Delete pages list what a deletion would touch; never name records above clearance."""

    def get_deleted_objects(self, objs, request):
        using = router.db_for_write(self.model)
        if _delete_reaches_hidden_records(objs, request.user, using):
            return [str(obj) for obj in objs], {}, set(), [HIDDEN_DEPENDANTS]
        return super().get_deleted_objects(objs, request)


class VersionedAdmin(admin.ModelAdmin):
    """Saves here move a record's version on, like every other write, so that a page or
    API client holding the older version is refused instead of overwriting this change."""

    def save_model(self, request, obj, form, change):
        if change:
            services.record_version_claim(obj, None)
        super().save_model(request, obj, form, change)


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    """Administrators manage accounts without being able to raise anyone above themselves.

    A non-superuser administrator grants at most their own clearance, cannot change their
    own clearance, roles, permissions or status, and cannot change (so cannot take over,
    by setting a password) a superuser or anyone cleared higher than they are. Only a
    superuser makes superusers.
    """

    list_display = ["username", "email", "first_name", "last_name", "clearance", "is_active", "is_staff"]
    list_filter = [*BaseUserAdmin.list_filter, "clearance"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("Clearance", {"fields": ["clearance"]})]
    add_fieldsets = [*BaseUserAdmin.add_fieldsets, ("Clearance", {"fields": ["clearance"]})]
    OWN_ACCOUNT_LOCKED = ("clearance", "is_superuser", "is_staff", "is_active", "groups", "user_permissions")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_manage(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_manage(request.user, obj)

    @staticmethod
    def _may_manage(user, account) -> bool:
        if account is None or user.is_superuser:
            return True
        return not account.is_superuser and account.clearance <= user.clearance

    def get_readonly_fields(self, request, obj=None):
        locked = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            locked.append("is_superuser")
            if obj is not None and obj.pk == request.user.pk:
                locked += self.OWN_ACCOUNT_LOCKED
        return list(dict.fromkeys(locked))

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "clearance" and not request.user.is_superuser:
            kwargs["choices"] = [c for c in classification.choices() if c[0] <= request.user.clearance]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class VisibleMeetingsAdmin(ClearanceAwareAdmin):
    """Meetings and their rows: shown to administrators within their clearance, read-only.

    A meeting is written only through the app's meeting page and its service, which check
    the marking against the writer's clearance, keep links the writer cannot see and refuse
    a stale version; the admin lists, shows and deletes.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MeetingRowInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttendanceInline(MeetingRowInline):
    model = models.Attendance


class MeetingTopicInline(MeetingRowInline):
    model = models.MeetingTopic


class ActionInline(MeetingRowInline):
    model = models.Action
    fk_name = "meeting"
    fields = ["description", "status", "due_date", "responsible_person", "completed_on", "completion_note"]


class SourceInline(MeetingRowInline):
    model = models.Source
    fields = ["kind", "title", "url", "file_name", "published_on"]
    readonly_fields = fields


class MeetingCountryInline(MeetingRowInline):
    model = models.MeetingCountry


@admin.register(models.Meeting)
class MeetingAdmin(VisibleMeetingsAdmin):
    list_display = ["title", "start_date", "kind", "status", "country", "host_country", "classification"]
    list_filter = ["kind", "status", "classification", "start_date"]
    search_fields = ["title", "summary", "outcome", "city"]
    date_hierarchy = "start_date"
    inlines = [AttendanceInline, MeetingTopicInline, ActionInline, SourceInline, MeetingCountryInline]
    exclude = ["parent"]
    readonly_fields = ["edit_in_app", "on_the_margins_of", "version", "created_at", "updated_at"]

    @admin.display(description="Edit")
    def edit_in_app(self, meeting):
        return format_html('<a href="{}">Edit this meeting in the app</a>', meeting_update_url(meeting))

    @admin.display(description="On the margins of")
    def on_the_margins_of(self, meeting):
        return meeting.shown_parent

    def get_object(self, request, object_id, from_field=None):
        meeting = super().get_object(request, object_id, from_field)
        if meeting is not None:
            meeting.shown_parent = visible_label(request.user, models.Meeting, meeting.parent_id)
        return meeting


@admin.register(models.MeetingSeries)
class MeetingSeriesAdmin(ClearanceAwareAdmin):
    search_fields = ["name"]


@admin.register(models.Person)
class PersonAdmin(VersionedAdmin, ClearanceAwareAdmin):
    list_display = ["name", "honorific", "title", "organization", "country", "email"]
    list_filter = ["country"]
    search_fields = ["name", "title", "email"]
    autocomplete_fields = ["organization"]


@admin.register(models.Organization)
class OrganizationAdmin(VersionedAdmin, ClearanceAwareAdmin):
    list_display = ["name", "acronym", "kind", "country", "parent", "contact_email"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym", "contact_email"]
    autocomplete_fields = ["parent"]


@admin.register(models.Topic)
class TopicAdmin(VersionedAdmin, ClearanceAwareAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["parent"]


class ActionPartyInline(MeetingRowInline):
    model = models.ActionParty


@admin.register(models.Action)
class ActionAdmin(VisibleMeetingsAdmin):
    list_display = ["description", "meeting", "status", "due_date", "completed_on"]
    list_filter = ["status", "due_date"]
    search_fields = ["description", "completion_note"]
    exclude = ["carried_from"]
    readonly_fields = ["continues"]
    inlines = [ActionPartyInline]

    @admin.display(description="Continues")
    def continues(self, action):
        return action.shown_origin

    def get_object(self, request, object_id, from_field=None):
        action = super().get_object(request, object_id, from_field)
        if action is not None:
            action.shown_origin = visible_label(request.user, models.Action, action.carried_from_id)
        return action


@admin.register(models.Attendance)
class AttendanceAdmin(VisibleMeetingsAdmin):
    list_display = ["person", "meeting", "title", "delegation", "role", "status"]
    list_filter = ["role", "status", "delegation"]
    search_fields = ["person__name", "title", "meeting__title"]


@admin.register(models.Source)
class SourceAdmin(VisibleMeetingsAdmin):
    list_display = ["title", "kind", "meeting", "published_on"]
    list_filter = ["kind"]
    search_fields = ["title", "url", "text"]
    exclude = ["file"]
    readonly_fields = ["download"]

    @admin.display(description="File")
    def download(self, source):
        if not source.file:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("source-file", args=[source.pk]), source.file_name)


def visible_label(user, model, pk) -> str:
    """A marked record named for this user only if they may see it."""
    if pk is None:
        return "—"
    record = model.objects.visible_to(user).filter(pk=pk).first()
    return str(record) if record is not None else "A record above your clearance"


def meeting_update_url(meeting) -> str:
    return reverse("meeting-update", args=[meeting.pk])


@admin.register(models.DraftCorrection)
class DraftCorrectionAdmin(admin.ModelAdmin):
    """What people chose instead of a draft's proposal; delete one to stop drafts using it."""

    list_display = ["phrase", "kind", "choice", "times", "created_by", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["phrase", "person__name", "topic__name", "city"]
    fields = ["kind", "phrase", "person", "topic", "city", "country", "times", "created_by"]
    readonly_fields = ["times", "created_by"]
    autocomplete_fields = ["person", "topic"]
    list_select_related = ["person", "topic", "created_by"]
