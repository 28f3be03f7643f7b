"""icws-codegen: generates a typed client, server stubs and docs from an OpenAPI spec.

The pipeline, one module per stage: ``load`` → ``validate`` → ``model`` → ``render`` →
``format`` → ``write``; ``pipeline`` runs them in order and ``cli`` is the command line.
"""

__version__ = "0.1.0"
