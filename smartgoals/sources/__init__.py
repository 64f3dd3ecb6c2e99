"""Pull adapters: each reads a metric's declared `source:` (a file, a database, a program)
into observations that go through the one write path; one module per kind, named in registry.
"""
