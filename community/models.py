"""Community resources: organisations and the services they run, in the Open Referral UK shape (docs/community.md)."""
