"""The browser pages, one module per thing a person looks at: home, annotate, review, dashboard,
agreement, data (import, export, releases, jobs), catalogues (claims and speakers), account.

Each page authorises through claims.access, reads through the QuerySets and claims' read modules,
writes through claims.services, and renders a template from templates/; the page's script, when it
has one, talks to the same REST API as scripts do.
"""
