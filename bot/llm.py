"""An optional OpenAI-compatible chat endpoint (OpenAI, Azure OpenAI's v1 API, vLLM, Ollama,
llama.cpp's server): grounded answers, second opinions on unsure drafts, suggested rewrites.

Off unless POLICYBOT_LLM_BASE_URL is set. With it set, the question or draft text goes to
that endpoint; nothing is stored. Every call has a time limit, and any failure (timeout,
HTTP error, an answer out of schema, an answer citing nothing) returns None: the local
result stands and the user is not told anything went wrong.
"""

from __future__ import annotations

import importlib
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from bot.config import ConfigError
from policy import Policy
from policy.retrieval import Hit


def _openai():
    """The `openai` package (the optional [llm] extra), imported only when an endpoint is set:
    it costs about 47 MB of memory, which a bot without an endpoint should not carry."""
    try:
        return importlib.import_module("openai")
    except ImportError:
        raise ConfigError(
            "POLICYBOT_LLM_BASE_URL is set, but the openai package is missing: pip install 'policybot[llm]'"
        ) from None


log = logging.getLogger("policybot")


ANSWER_SCHEMA = {
    "type": "object",
    "properties": {"answer": {"type": "string"}, "cited_sections": {"type": "array", "items": {"type": "string"}}},
    "required": ["answer", "cited_sections"],
    "additionalProperties": False,
}
REWRITE_SCHEMA = {
    "type": "object",
    "properties": {"rewrite": {"type": "string"}},
    "required": ["rewrite"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class GroundedAnswer:
    text: str
    cited: tuple[str, ...]  # section ids


class Assistant:
    def __init__(self, base_url: str, model: str, api_key: str, timeout: float, policy: Policy) -> None:
        openai = _openai()
        self._failures = (openai.OpenAIError,)
        self.client = openai.AsyncOpenAI(base_url=base_url, api_key=api_key or "none", timeout=timeout, max_retries=0)
        self.model = model
        self.policy = policy

    @classmethod
    def from_settings(cls, values: dict[str, Any], policy: Policy) -> Assistant | None:
        if not values.get("llm_base_url"):
            return None
        return cls(values["llm_base_url"], values["llm_model"], values["llm_api_key"], values["llm_timeout"], policy)

    async def answer(self, question: str, hits: list[Hit]) -> GroundedAnswer | None:
        passages = "\n\n".join(f"[{h.section.id}] {h.section.title}\n{h.passage}" for h in hits)
        system = (
            "You answer public servants' questions about their agency's social-media policy. Use ONLY the "
            "passages and the policy table below. Cite the ids of the sections you used in cited_sections and "
            "mention their titles in the answer. If the passages do not answer the question, say so. "
            "Two to four sentences, plain words.\n\nPassages:\n" + passages + "\n\nPolicy table:\n" + self._table()
        )
        reply = await self._ask(system, question, "grounded_answer", ANSWER_SCHEMA)
        if not reply or not isinstance(reply.get("answer"), str) or not isinstance(reply.get("cited_sections"), list):
            return None
        retrieved = {h.section.id for h in hits}
        cited = tuple(c for c in reply["cited_sections"] if isinstance(c, str) and c in retrieved)
        if not cited or not reply["answer"].strip():
            log.info("llm answer dropped: it cites no retrieved passage")
            return None
        return GroundedAnswer(reply["answer"].strip(), cited)

    async def second_opinion(self, draft: str, unsure: list[str]) -> dict[str, bool] | None:
        """For each signal the local model is unsure about, does the draft carry it?"""
        descriptions = "\n".join(
            f"- {s.id}: {s.description or s.message}" for s in self.policy.signals if s.id in unsure
        )
        schema = {
            "type": "object",
            "properties": {"signals": {"type": "object", "properties": {i: {"type": "boolean"} for i in unsure}}},
            "required": ["signals"],
            "additionalProperties": False,
        }
        system = (
            "You label social-media drafts written by public servants. For each signal below, say true if the "
            "draft carries it and false if not. Judge what the text does, not who might post it.\n\nSignals:\n"
            + descriptions
            + "\n\nPolicy table (for context):\n"
            + self._table()
        )
        reply = await self._ask(system, draft, "signals", schema)
        labels = reply.get("signals") if reply else None
        if not isinstance(labels, dict) or not labels:
            return None
        if any(key not in unsure or not isinstance(value, bool) for key, value in labels.items()):
            log.info("llm second opinion dropped: out of schema")
            return None
        return labels

    async def rewrite(self, draft: str, problems: list[str]) -> str | None:
        system = (
            "Rewrite a public servant's social-media draft so that it keeps the author's point but removes what "
            "the policy forbids. Keep the language, tone and length. Problems found:\n- "
            + "\n- ".join(problems)
            + "\n\nPolicy table:\n"
            + self._table()
        )
        reply = await self._ask(system, draft, "rewrite", REWRITE_SCHEMA)
        text = reply.get("rewrite") if reply else None
        return text.strip() if isinstance(text, str) and text.strip() else None

    def _table(self) -> str:
        lines = []
        for row in self.policy.rows:
            duty = {None: "", True: ", on duty", False: ", off duty"}[row.on_duty]
            context = f"{row.account} account{duty}"
            lines.append(f"- {row.finding} ({context}) -> {row.verdict.label}: {row.message}")
        return "\n".join(lines)

    async def _ask(self, system: str, user: str, name: str, schema: dict) -> dict | None:
        started = time.perf_counter()
        try:
            response = await self.client.chat.completions.create(
                model=self.model,
                messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                response_format={"type": "json_schema", "json_schema": {"name": name, "schema": schema}},
                temperature=0,
            )
            content = response.choices[0].message.content or ""
            parsed = json.loads(content)
        except (*self._failures, json.JSONDecodeError, IndexError, AttributeError, TypeError) as error:
            elapsed = (time.perf_counter() - started) * 1000
            log.info("llm %s failed after %.0f ms: %s", name, elapsed, type(error).__name__)
            return None
        log.info("llm %s answered in %.0f ms", name, (time.perf_counter() - started) * 1000)
        return parsed if isinstance(parsed, dict) else None
