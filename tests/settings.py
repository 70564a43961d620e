"""Test runs use the one settings module with its production defaults (DEBUG off).

Only what a test process cannot have is filled in: a throwaway SECRET_KEY, and plain HTTP,
because the test client and the live server speak HTTP (with HTTPS on, every request would be
redirected). Nothing else differs from production.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("HTTPS", "0")

from annotator.settings import *  # noqa: F403

# Static files are served from the apps, as with DEBUG: no test process runs collectstatic first (the
# deployed-mode tier, tests/deployed/, runs it and checks the hashed names production uses).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True

# Hashing five personas' passwords with production-strength PBKDF2 costs about a second per test;
# the hasher is not what these tests check (Django's testing docs recommend the same).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
