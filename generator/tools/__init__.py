"""Tools beside the pipeline: ``new-endpoint`` and ``import-page``."""
