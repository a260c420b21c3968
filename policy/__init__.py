"""The policy engine: load a pack, check drafts, look sections up. Pure and synchronous."""

from policy.engine import DraftError, ModelError, Policy
from policy.model import ALL_CONTEXTS, CATEGORIES, Assessment, Context, Finding, Question, Section, Verdict
from policy.pack import PackError, Problem

__all__ = [
    "ALL_CONTEXTS",
    "CATEGORIES",
    "Assessment",
    "Context",
    "DraftError",
    "Finding",
    "ModelError",
    "PackError",
    "Policy",
    "Problem",
    "Question",
    "Section",
    "Verdict",
]
