"""Reply -> Adaptive Card 1.5 (within Teams' ~28 KB message limit), plus plain-text fallback."""

from __future__ import annotations

import json
import re

from bot.messages import Choices, Fields, Note, Reply, Text, VerdictBlock
from bot.styled import Span

CARD_LIMIT = 28_000  # bytes of the card JSON
MAX_TEXT = 4000
STYLES = {"ok": "good", "disclaimer": "accent", "review": "warning", "stop": "attention"}
COLOURS = {"ok": "Good", "disclaimer": "Accent", "review": "Warning", "stop": "Attention"}
EMOJI = {"ok": "✅", "disclaimer": "📝", "review": "🟡", "stop": "🛑"}


def clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text_block(text: str, **extra) -> dict:
    return {"type": "TextBlock", "text": clip(text or " "), "wrap": True, **extra}


_MARKDOWN_CHARS = re.compile(r"([*_\[\]])")  # what Adaptive Card markdown would read as markup


def markdown_block(spans: tuple[Span, ...]) -> dict:
    """Styled spans as a TextBlock: Adaptive Card markdown (bold, italic), or one monospace
    block for preformatted text. Plain text has markdown characters escaped."""
    if spans and all("pre" in span.styles for span in spans):
        return text_block("".join(span.text for span in spans), fontType="Monospace")
    out = []
    for span in spans:
        text = _MARKDOWN_CHARS.sub(r"\\\1", span.text)
        core = text.strip()
        if core and {"bold", "italic", "code", "pre"} & span.styles:
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            if "bold" in span.styles:
                core = f"**{core}**"
            if span.styles & {"italic", "code", "pre"}:
                core = f"_{core}_"
            text = lead + core + trail
        if "quote" in span.styles:
            text = "\n".join(f"“{line}”" if line.strip() else line for line in text.split("\n"))
        out.append(text)
    return text_block("".join(out))


def verdict_container(block: VerdictBlock) -> dict:
    items = [
        text_block(
            f"{EMOJI[block.level]} {block.level.upper()}: {block.summary}",
            weight="Bolder",
            size="Medium",
            color=COLOURS[block.level],
        )
    ]
    for finding in block.findings:
        items.append(text_block(f"**{finding.section_title}** ({finding.level})", spacing="Medium"))
        items.append(text_block(finding.message))
        if finding.highlights:
            quoted = ", ".join(f"“{h.text}”" for h in finding.highlights[:5])
            found = f"{block.found.capitalize()}: {quoted}"
            items.append(text_block(found, isSubtle=True, color=COLOURS[finding.level]))
        if basis := finding.basis(block.reads_like):
            items.append(text_block(basis.capitalize(), isSubtle=True, size="Small"))
    return {"type": "Container", "style": STYLES[block.level], "items": items}


def body_and_actions(reply: Reply) -> tuple[list[dict], list[dict]]:
    body: list[dict] = []
    actions: list[dict] = []
    for block in reply.blocks:
        if isinstance(block, Text):
            body.append(markdown_block(block.spans))
        elif isinstance(block, Note):
            body.append(text_block(block.text, isSubtle=True, size="Small"))
        elif isinstance(block, VerdictBlock):
            body.append(verdict_container(block))
        elif isinstance(block, Fields):
            if block.title:
                body.append(text_block(block.title, weight="Bolder"))
            body.append(
                {"type": "FactSet", "facts": [{"title": clip(k, 200), "value": clip(v, 1000)} for k, v in block.fields]}
            )
        elif isinstance(block, Choices):
            if block.prompt:
                body.append(text_block(block.prompt))
            actions.extend(
                {
                    "type": "Action.Submit",
                    "title": clip(c.label, 80),
                    "data": {"action": c.action, "value": c.value, "label": clip(c.label, 80)},
                }
                for c in block.choices
            )
    return body, actions


def to_card(reply: Reply) -> dict:
    body, actions = body_and_actions(reply)
    card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": body or [text_block(" ")],
        "msteams": {"width": "Full"},
        "fallbackText": clip(reply.plain(), 2000),  # for clients that cannot show cards
    }
    if actions:
        card["actions"] = actions[:6]  # Teams shows at most six top-level actions
        if len(actions) > 6:
            card["body"].append({"type": "ActionSet", "actions": actions[6:]})
    while len(json.dumps(card, ensure_ascii=False).encode()) > CARD_LIMIT and len(card["body"]) > 1:
        card["body"].pop(-2 if card["body"][-1].get("type") == "ActionSet" else -1)
        card["shortened"] = True
    if card.pop("shortened", False):
        card["body"].append(text_block("(shortened to fit Teams' message size)", isSubtle=True))
    return card


def settled(card: dict, chosen: str, who: str) -> dict:
    """The card after one of its buttons was used: no actions left, and who chose what."""
    body = [b for b in card.get("body", []) if b.get("type") != "ActionSet" and b.get("text", "").strip()]
    body.append(text_block(f"{who} chose: {chosen}", isSubtle=True))
    return {**{k: v for k, v in card.items() if k != "actions"}, "body": body}
