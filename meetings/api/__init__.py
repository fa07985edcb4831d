"""The JSON API under /api/v1/: the same records, filters, rules and clearance as the app.

Reads start from ``visible_to`` and take the lists' own FilterSets; writes go through the
app's forms and ``services.meeting_save``, so an API client meets exactly the checks a
person meets on the page.
"""
