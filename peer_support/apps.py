from django.apps import AppConfig


class PeerSupportConfig(AppConfig):
    """Peer support: referrals, proposed matches, introductions, check-ins, volunteers' capacity,
    and organisation membership (invitations and requests). Ranks through matching.services.match_rank."""

    name = "peer_support"
    verbose_name = "Peer support"

    def ready(self) -> None:
        from matching.services import register_record_holder

        from .holders import coordinator_holding

        register_record_holder(coordinator_holding)
