"""The command line: the Typer app, its options, shell completion and interactive prompts.

The only package that imports Typer. It parses, calls one function of `commands`, and hands the
view it returns to the one output path (`rendering.emit`); operational errors are caught here once.
"""
