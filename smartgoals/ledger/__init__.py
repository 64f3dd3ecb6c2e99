"""The ledger as data: goal files, settings, the journal and check-ins, read from bytes into
immutable records and problems with their `path:line:column`; the caches around that load.
"""
