"""The database cache table that takes over while Redis is down (marketplace/cache_failover.py).

Sign-in and password-reset limits and the message rate limit move here during a Redis outage, so
they stay on. The name matches CACHES["database"]["LOCATION"] in marketplace/settings.py.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "cache_fallback"


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
