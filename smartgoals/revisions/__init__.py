"""The ledger through time: loading it as committed at a revision, attributing rows and
targets to commits, and check-ins with their authors. Reads git only through `vcs`.
"""
