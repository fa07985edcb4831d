"""Downloading a source's file, for those cleared for its meeting."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from meetings import uploads
from meetings.audit import record as audit
from meetings.models import Source


@require_safe
@csp_override({"sandbox": True, "default-src": [CSP.NONE]})
def source_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file as an attachment; a source above the reader's clearance is not found, as a missing one."""
    source = get_object_or_404(
        Source.objects.visible_to(request.user).exclude(file="").select_related("meeting"), pk=pk
    )
    audit.source_download(request, source)
    return uploads.download(source.file, source.file_name or source.file.name)
