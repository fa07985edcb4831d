"""Django admin for administrators: every model, searchable and filterable."""

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import router

from meetings import models
from meetings.uploads import ShowsUploadedName, SourceFileField

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


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "clearance", "is_active", "is_staff"]
    list_filter = [*BaseUserAdmin.list_filter, "clearance"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("Clearance", {"fields": ["clearance"]})]
    add_fieldsets = [*BaseUserAdmin.add_fieldsets, ("Clearance", {"fields": ["clearance"]})]


class VisibleMeetingsAdmin(ClearanceAwareAdmin):
    """Administrators, too, see only what their clearance allows."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class AttendanceInline(admin.TabularInline):
    model = models.Attendance
    extra = 0
    autocomplete_fields = ["person", "organization"]


class MeetingTopicInline(admin.TabularInline):
    model = models.MeetingTopic
    extra = 0
    autocomplete_fields = ["topic"]


class ActionInline(admin.StackedInline):
    model = models.Action
    extra = 0
    fk_name = "meeting"
    autocomplete_fields = ["responsible_person", "carried_from"]
    fields = [
        "description",
        "status",
        "due_date",
        "responsible_person",
        "completed_on",
        "completion_note",
        "carried_from",
    ]


class AdminSourceFileInput(ShowsUploadedName, AdminFileWidget):
    pass


class SourceInline(admin.StackedInline):
    model = models.Source
    extra = 0
    formfield_overrides = {SourceFileField: {"widget": AdminSourceFileInput}}


class MeetingCountryInline(admin.TabularInline):
    model = models.MeetingCountry
    extra = 0


@admin.register(models.Meeting)
class MeetingAdmin(VisibleMeetingsAdmin):
    list_display = ["title", "start_date", "kind", "status", "country", "host_country", "classification"]
    list_filter = ["kind", "status", "classification", "start_date"]
    search_fields = ["title", "summary", "outcome", "city"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["parent", "series", "organizations"]
    inlines = [AttendanceInline, MeetingTopicInline, ActionInline, SourceInline, MeetingCountryInline]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(models.MeetingSeries)
class MeetingSeriesAdmin(ClearanceAwareAdmin):
    search_fields = ["name"]


@admin.register(models.Person)
class PersonAdmin(ClearanceAwareAdmin):
    list_display = ["name", "honorific", "title", "organization", "country", "email"]
    list_filter = ["country"]
    search_fields = ["name", "title", "email"]
    autocomplete_fields = ["organization"]


@admin.register(models.Organization)
class OrganizationAdmin(ClearanceAwareAdmin):
    list_display = ["name", "acronym", "kind", "country", "parent", "contact_email"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym", "contact_email"]
    autocomplete_fields = ["parent"]


@admin.register(models.Topic)
class TopicAdmin(ClearanceAwareAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["parent"]


class ActionPartyInline(admin.TabularInline):
    model = models.ActionParty
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(models.Action)
class ActionAdmin(VisibleMeetingsAdmin):
    list_display = ["description", "meeting", "status", "due_date", "completed_on"]
    list_filter = ["status", "due_date"]
    search_fields = ["description", "completion_note"]
    autocomplete_fields = ["meeting", "responsible_person", "carried_from"]
    inlines = [ActionPartyInline]


@admin.register(models.Attendance)
class AttendanceAdmin(VisibleMeetingsAdmin):
    list_display = ["person", "meeting", "title", "delegation", "role", "status"]
    list_filter = ["role", "status", "delegation"]
    search_fields = ["person__name", "title", "meeting__title"]
    autocomplete_fields = ["meeting", "person", "organization"]


@admin.register(models.Source)
class SourceAdmin(VisibleMeetingsAdmin):
    formfield_overrides = {SourceFileField: {"widget": AdminSourceFileInput}}
    list_display = ["title", "kind", "meeting", "published_on"]
    list_filter = ["kind"]
    search_fields = ["title", "url", "text"]
    autocomplete_fields = ["meeting"]


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
