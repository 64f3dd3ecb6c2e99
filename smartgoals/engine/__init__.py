"""The status engine: pure functions of (ledger, as-of date) -> judgements, forecasts,
comparisons, explanations and what is due. No clock, no files, no git, nothing about output.
"""
