"""The commands as plain typed functions: parsed values in, a view (or a result) out.

They never import Typer: cli.py parses the command line, calls one of these, and hands the
view to rendering.emit. Library users may call them directly.
"""
