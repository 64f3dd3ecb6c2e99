"""The command line: the Typer app, its options, shell completion and interactive prompts.

The only package that imports Typer. `app` holds the app, the global options, the table of
commands and the one error funnel; `options` the option types shared by the commands (one
`--format`, `--json` its alias); `read`, `documents`, `write` and `meta` one wrapper per command,
by purpose; `output` the one output path (a view to stdout, a document to stdout or -o FILE).
A wrapper parses, calls one function of `commands`, and hands the view it returns to `output`.
"""
