"""Writes that touch several records at once, each inside one transaction.

Forms, the API and the importer check what was typed; these functions do the writing and
enforce the rules that must hold whoever calls them: only editors write, nobody marks a
meeting above their own clearance, and nobody overwrites a meeting someone else saved
meanwhile. Every failure is an exception carrying a message for the person, never a
half-saved record. One module per concern:

- ``meetings``: a meeting with its rows, as one typed ``MeetingInput``, validated and saved;
- ``actions``: one action's status, and carrying open actions into a later meeting;
- ``records``: deleting people, organisations, topics and meetings;
- ``tokens``: private calendar addresses and API tokens;
- ``names``: names that probably mean the same person or organisation.
"""

from meetings.services.actions import action_update_status, actions_carry_over
from meetings.services.base import (
    DeleteRefused,
    SaveRefused,
    VersionConflict,
    record_version_claim,
    require_editor,
    version_claim,
)
from meetings.services.meetings import (
    ActionInput,
    AttendeeInput,
    MeetingConflict,
    MeetingInput,
    MeetingInvalid,
    SourceInput,
    TopicInput,
    action_delete,
    action_save,
    meeting_save,
    meeting_validate,
)
from meetings.services.names import name_tokens, names_match, similar_organizations, similar_people
from meetings.services.records import record_delete
from meetings.services.tokens import (
    api_token_issue,
    api_token_revoke,
    calendar_feed_issue,
    calendar_feed_revoke,
)

__all__ = [
    "ActionInput",
    "AttendeeInput",
    "DeleteRefused",
    "MeetingConflict",
    "MeetingInput",
    "MeetingInvalid",
    "SaveRefused",
    "SourceInput",
    "TopicInput",
    "VersionConflict",
    "action_delete",
    "action_save",
    "action_update_status",
    "actions_carry_over",
    "api_token_issue",
    "api_token_revoke",
    "calendar_feed_issue",
    "calendar_feed_revoke",
    "meeting_save",
    "meeting_validate",
    "name_tokens",
    "names_match",
    "record_delete",
    "record_version_claim",
    "require_editor",
    "similar_organizations",
    "similar_people",
    "version_claim",
]
