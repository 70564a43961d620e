"""Reads that put several models together for a page, a report or a list: the one layer for them.

The convention (docs/architecture.md): a read of one model's rows, filtered or annotated, is a
QuerySet method on that model (`Article.objects.open_to(user)`, `Assignment.objects.visible_to(user)`);
a read that assembles figures or views across models (the review queue, a project's progress, the
dashboard, a claim's timeline, search) is a function in a module here, named for what it shows.
Writes never live here: they are in claims/services/.
"""
