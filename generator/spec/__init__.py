"""Reading the spec: YAML with positions, ``$ref`` bundling, and validation."""
