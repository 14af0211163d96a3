"""A person's support plan, costed line by line against their personal budget (docs/planning.md)."""
