# Part of every package icws-codegen generates, the same whatever the spec. Do not edit.
"""One module per tag, each with the tag's blocking and asyncio client classes.

``Client`` and ``AsyncClient`` import a tag's module when their attribute for the tag is first
used (``client.<tag>``), so a program pays only for the tags it calls.
"""
