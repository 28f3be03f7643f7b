"""Rendering: the Jinja2 environment, its escaping filters, and the template tree."""
