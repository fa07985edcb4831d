from django.urls import path

from meetings.views import autocomplete, dashboard, details, health, lists

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
]
