"""The one write path: parse -> validate against the loaded ledger -> lock -> append -> commit,
or nothing; and the other writers (init's scaffold, corrections, generated schemas).
"""
