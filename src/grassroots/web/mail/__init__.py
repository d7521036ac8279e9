"""The mail outbox: every email the site sends is a row here, sent by a background task."""
