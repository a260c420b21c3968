from __future__ import annotations

from pathlib import Path

import pytest

from policy import Policy

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def policy() -> Policy:
    return Policy.load()
