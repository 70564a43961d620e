"""Every write of the domain, one function each (`<entity>_<action>`, keyword-only arguments).

The API, the pages, the admin and the management commands call these; none of them writes
labels any other way.
"""
