"""The default pack's detectors over batteries written for them (not drafts of the pack): 300
posts full of numbers and codes that are not personal data (dates, amounts, laws, dockets,
versions, public lines), 300 posts that each hold one piece of personal data of a known kind,
then, written apart by later helpers, 440 more ordinary posts and 440 more posts with personal
data (docs/judgement-history.md says which of them chose changes)."""

from __future__ import annotations

import json
from collections import Counter

from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
PERSONAL_KINDS = ("phone", "national_id", "payment_card", "date_of_birth", "credential")


def read(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_numbers_that_are_not_personal_data_are_left_alone(policy):
    posts = read("detector_benign.jsonl")
    flagged = [post["text"] for post in posts if set(policy.detect(post["text"])) & set(PERSONAL_KINDS)]
    assert len(posts) == 300
    assert len(flagged) <= 3, flagged  # 1 when written: a writer born in 1927, told as a story


def found_by_kind(policy, posts: list[dict]) -> tuple[Counter, Counter]:
    """Per kind: the posts whose own kind the detectors found, and all posts."""
    found, total = Counter(), Counter()
    for post in posts:
        total[post["kind"]] += 1
        found[post["kind"]] += post["kind"] in policy.detect(post["text"])
    return found, total


def test_personal_data_is_found_in_every_format_and_language(policy):
    found, total = found_by_kind(policy, read("detector_personal.jsonl"))
    assert sum(total.values()) == 300
    assert sum(found.values()) >= 294, found  # 298 when written
    assert all(found[kind] >= 0.94 * total[kind] for kind in total), (found, total)


def test_ordinary_posts_written_apart_are_left_alone(policy):
    posts = read("detector_benign_apart.jsonl")
    flagged = [post["text"] for post in posts if set(policy.detect(post["text"])) & set(PERSONAL_KINDS)]
    assert len(posts) == 440
    assert len(flagged) <= 10, flagged  # 8 when written (18 with the detectors of fd6b1bc)


def test_personal_data_written_apart_is_found(policy):
    found, total = found_by_kind(policy, read("detector_personal_apart.jsonl"))
    assert sum(total.values()) == 440
    assert sum(found.values()) >= 410, found  # 417 when written (382 with the detectors of fd6b1bc)
    assert all(found[kind] >= 0.85 * total[kind] for kind in total), (found, total)
