"""The audit: who read or exported which marked record, and every sign-in event.

Views call the functions in ``meetings.audit.record``; nothing in the app edits a row.
"""
