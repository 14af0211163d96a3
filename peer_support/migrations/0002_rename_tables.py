"""The moved tables take this app's names (a rename: every row stays)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("peer_support", "0001_move_from_matching"),
        ("matching", "0004_peer_support_models_moved"),
    ]

    operations = [
        migrations.AlterModelTable(name="referral", table=None),
        migrations.AlterModelTable(name="matchproposal", table=None),
        migrations.AlterModelTable(name="checkin", table=None),
        migrations.AlterModelTable(name="referralevent", table=None),
    ]
