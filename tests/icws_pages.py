"""The shared ICWS pages imported into a spec with the command line, as a person would."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import ROOT, run_cli

ICWS_DOCS = ROOT.parent / "shared" / "icws-docs"
SPEC_BEFORE_IMPORT = Path(__file__).resolve().parent / "data" / "spec-before-import"
"""The project's spec as it was before any page of ``shared/icws-docs`` was imported: where the
tests of importing start from, however far ``spec/`` has grown."""


def icws_pages() -> list[Path]:
    """Every page of ``shared/icws-docs/``, in name order."""
    pages = sorted(ICWS_DOCS.glob("*.txt"))
    assert pages, f"no ICWS pages in {ICWS_DOCS}"
    return pages


def import_every_page(spec_root: Path) -> list[subprocess.CompletedProcess[str]]:
    """Run ``python -m generator import-page PAGE --spec SPEC_ROOT`` for every shared ICWS page
    into the spec whose root document is ``spec_root`` (a scratch copy: it is changed), asserting
    that each exits 0; their results, in page order."""
    results = []
    for page in icws_pages():
        result = run_cli("import-page", str(page), "--spec", str(spec_root))
        assert result.returncode == 0, f"{page.name}:\n{result.stdout}{result.stderr}"
        results.append(result)
    return results
