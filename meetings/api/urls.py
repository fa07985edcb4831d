from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from meetings.api import views

router = SimpleRouter(use_regex_path=False)
router.register("meetings", views.MeetingViewSet, basename="api-meeting")
router.register("people", views.PersonViewSet, basename="api-person")
router.register("organizations", views.OrganizationViewSet, basename="api-organization")
router.register("topics", views.TopicViewSet, basename="api-topic")
router.register("actions", views.ActionViewSet, basename="api-action")

urlpatterns = [
    path("v1/", views.ApiRoot.as_view(), name="api-root"),
    path("v1/", include(router.urls)),
    path("schema/", views.login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
]
