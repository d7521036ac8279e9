"""Sealed ballots: rankings encrypted for a ballot's trustees, shuffled by a verifiable
mix-net and decrypted by a threshold of trustees, with proofs anyone can check
(docs/sealed-ballots.md). Imports no Django; the group is libsodium's through PyNaCl."""
