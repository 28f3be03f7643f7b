# Part of every package icws-codegen generates, the same whatever the spec. Do not edit.
"""Where the models are defined: ``_base`` (what every model derives from), ``_shared`` (the
models several tags use, the errors' and the ones no operation uses) and a module per tag (the
models only that tag's operations use), so that using one tag builds only its models.

Import them from the package's ``models`` module, which loads each from here when first asked.
"""
