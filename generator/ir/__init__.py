"""The intermediate model: frozen dataclasses between the spec and the templates."""
