"""The peer-support workflow's models now belong to the peer_support app (peer_support 0001).

State only: the tables are kept, and peer_support 0002 renames them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0003_adverts_shortlists_referrals"),
        ("peer_support", "0001_move_from_matching"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CheckIn"),
                migrations.DeleteModel(name="ReferralEvent"),
                migrations.DeleteModel(name="MatchProposal"),
                migrations.DeleteModel(name="Referral"),
            ],
            database_operations=[],
        ),
    ]
