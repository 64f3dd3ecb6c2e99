"""The formula language of derived metrics and risk triggers: syntax, checks, one table of
functions, and evaluation. Imports nothing above the base modules.
"""
