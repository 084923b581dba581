"""The 台账: entry types (one per op), the ledger they fold into, and the store that keeps them.

``entries`` defines what a line means, ``ledger`` what the journal says is
done, ``store`` the one facade commands use; ``jsonl`` is the JSON Lines file
that is the truth, with its locked writer and its private index.
"""
