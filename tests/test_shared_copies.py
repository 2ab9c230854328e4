"""The repository's copies of ../shared stay what ../shared holds (where it is there)."""

from __future__ import annotations

import gzip

import pytest
from conftest import BUNDLED_ICD11_GZ, SHARED, VENDORED


@pytest.mark.parametrize("relative", ["samples/gs1-scans.tsv"])
def test_the_vendored_field_samples_are_the_shared_ones(relative: str) -> None:
    original = SHARED / relative
    if not original.is_file():
        pytest.skip(f"no {original} on this machine: the copy is all there is")
    assert (VENDORED / relative).read_bytes() == original.read_bytes()


def test_the_bundled_icd11_list_is_whos_file_unmodified() -> None:
    original = SHARED / "data" / "icd11-mms-2024-01-en.tsv"
    if not original.is_file():
        pytest.skip(f"no {original} on this machine: the bundled copy is all there is")
    assert gzip.decompress(BUNDLED_ICD11_GZ.read_bytes()) == original.read_bytes()
