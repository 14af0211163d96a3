"""Test settings: the base settings with fast hashing, in-memory email and immediate tasks.

DATABASE_URL and REDIS_URL still apply, so the same suite runs on SQLite and PostgreSQL.
"""

from .settings import *  # noqa: F403
from .settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {}
# Serve static files straight from the apps' folders, as in development (no collectstatic needed).
SERVESTATIC_USE_FINDERS = True
SERVESTATIC_AUTOREFRESH = True
# Tests run inside a transaction that another thread cannot see: build the match index in the request's
# own thread (tests/matching/test_background_rebuild.py turns the background build on for itself).
MATCHING_BACKGROUND_REBUILD = False
