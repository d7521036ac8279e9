"""People: accounts, supporters, their consents, and messages between supporters in a CLP."""
