from django.urls import path

from meetings.views import action_updates, autocomplete, dashboard, details, editing, health, lists, records

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("meetings/", lists.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<int:pk>/", details.meeting_detail, name="meeting-detail"),
    path("actions/", lists.ActionListView.as_view(), name="action-list"),
    path("people/", lists.PersonListView.as_view(), name="person-list"),
    path("people/<int:pk>/", details.person_detail, name="person-detail"),
    path("organizations/", lists.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<int:pk>/", details.organization_detail, name="organization-detail"),
    path("topics/", lists.TopicListView.as_view(), name="topic-list"),
    path("topics/<int:pk>/", details.topic_detail, name="topic-detail"),
    path("countries/<str:code>/", details.country_detail, name="country-detail"),
    path("autocomplete/<str:kind>/", autocomplete.autocomplete, name="autocomplete"),
    # Entering and changing records.
    path("meetings/new/", editing.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/edit/", editing.meeting_update, name="meeting-update"),
    path("meetings/<int:pk>/delete/", editing.meeting_delete, name="meeting-delete"),
    path("actions/<int:pk>/status/", action_updates.action_update_status, name="action-update-status"),
    path("people/new/", records.person_create, name="person-create"),
    path("people/<int:pk>/edit/", records.person_update, name="person-update"),
    path("people/<int:pk>/delete/", records.person_delete, name="person-delete"),
    path("people/lookup/", records.person_lookup, name="person-lookup"),
    path("people/quick-add/", records.person_quick_create, name="person-quick-create"),
    path("organizations/new/", records.organization_create, name="organization-create"),
    path("organizations/<int:pk>/edit/", records.organization_update, name="organization-update"),
    path("organizations/<int:pk>/delete/", records.organization_delete, name="organization-delete"),
    path("organizations/lookup/", records.organization_lookup, name="organization-lookup"),
    path("organizations/quick-add/", records.organization_quick_create, name="organization-quick-create"),
    path("topics/new/", records.topic_create, name="topic-create"),
    path("topics/<int:pk>/edit/", records.topic_update, name="topic-update"),
    path("topics/<int:pk>/delete/", records.topic_delete, name="topic-delete"),
    path("topics/quick-add/", records.topic_quick_create, name="topic-quick-create"),
]
