"""The alliance: organisations, their representatives, the organising committee, local groups."""
