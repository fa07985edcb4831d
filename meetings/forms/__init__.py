"""Forms for entering records, one module per concern (as ``django.forms`` is laid out).

- ``meeting``: the meeting page, its row formsets and the ``MeetingEditor`` that saves them
  as one ``MeetingInput`` through ``services.meeting_save``;
- ``records``: people, organisations and topics, and the meeting page's "Add new" dialogs;
- ``actions``: a one-click status update, the reminder preview, carrying actions over;
- ``data``: what a browser posts for a meeting, for the API, the importer and the tests;
- ``widgets``, ``fields``, ``base``: type-ahead boxes, long choice lists, record choices
  fetched in bulk, and the styling every form shares.
"""

from meetings.forms.actions import ActionStatusForm, CarryOverForm, ReminderPreviewForm
from meetings.forms.base import StyledFormMixin
from meetings.forms.meeting import ROW_FORMSETS, MeetingEditor, MeetingForm
from meetings.forms.records import (
    OrganizationForm,
    OrganizationQuickForm,
    PersonForm,
    PersonQuickForm,
    TopicForm,
    TopicQuickForm,
)

__all__ = [
    "ROW_FORMSETS",
    "ActionStatusForm",
    "CarryOverForm",
    "MeetingEditor",
    "MeetingForm",
    "OrganizationForm",
    "OrganizationQuickForm",
    "PersonForm",
    "PersonQuickForm",
    "ReminderPreviewForm",
    "StyledFormMixin",
    "TopicForm",
    "TopicQuickForm",
]
