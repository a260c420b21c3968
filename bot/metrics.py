"""Prometheus metrics (served at /metrics by `policybot serve`). Labels carry no user data."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS = Counter("policybot_events_total", "Events handled, by platform and kind.", ["platform", "kind"])
VERDICTS = Counter("policybot_verdicts_total", "Draft verdicts given, by level.", ["level"])
CHECK_SECONDS = Histogram(
    "policybot_check_seconds", "Time to check one draft.", buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5)
)
REPLY_SECONDS = Histogram(
    "policybot_reply_seconds",
    "Time from an event to its reply, in the core.",
    ["platform"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
)
QUEUE_DEPTH = Gauge("policybot_queue_depth", "Acknowledged events not answered yet.")
NUDGES = Counter("policybot_nudges_total", "Proactive messages, by job and outcome.", ["job", "outcome"])
STORE_ERRORS = Counter("policybot_store_errors_total", "Turns or jobs that met a database error.")
DEDUPE_HITS = Counter("policybot_dedupe_hits_total", "Retried events answered once already.")
