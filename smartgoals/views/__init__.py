"""One module per view: the immutable record a command returns, and its forms.

Each module declares its forms in one table, `FORMS = {View: {Format.JSON: ..., Format.PLAIN:
..., Format.RICH: ...}}`, and `smartgoals.rendering.render` finds it through the view's class.
A new format is one `Format` member plus one function per view; a new view is one module.
"""
