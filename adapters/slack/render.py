"""Reply -> Block Kit, within Slack's limits (50 blocks, 3000 characters a text, 25 buttons)."""

from __future__ import annotations

from bot.messages import Choices, Fields, Note, Reply, Text, VerdictBlock
from bot.styled import Span

MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_FIELD = 2000
MAX_BUTTON_TEXT = 75
MAX_BUTTONS = 25
MAX_FALLBACK = 3000
LEVEL_EMOJI = {
    "ok": ":white_check_mark:",
    "disclaimer": ":memo:",
    "review": ":large_yellow_circle:",
    "stop": ":octagonal_sign:",
}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def mrkdwn(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text or " ", MAX_TEXT)}}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def spans_to_mrkdwn(spans: tuple[Span, ...]) -> str:
    """Styled spans as Slack mrkdwn; markers go inside any spaces at a span's edges."""
    out = []
    for span in spans:
        text = _escape(span.text)
        if "pre" in span.styles:
            out.append("```" + text.replace("```", "'''") + "```")
            continue
        core = text.strip()
        if core:
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            if "code" in span.styles:
                core = "`" + core.replace("`", "'") + "`"
            if "bold" in span.styles:
                core = f"*{core}*"
            if "italic" in span.styles:
                core = f"_{core}_"
            text = lead + core + trail
        if "quote" in span.styles:
            text = "\n".join(f"&gt; {line}" for line in text.split("\n"))
        out.append(text)
    return "".join(out)


def verdict_blocks(block: VerdictBlock) -> list[dict]:
    blocks = [mrkdwn(f"{LEVEL_EMOJI[block.level]} *{block.level.upper()}*: {_escape(block.summary)}")]
    for finding in block.findings:
        quoted = ", ".join(f"`{_escape(h.text)}`" for h in finding.highlights[:5])
        line = f"*[{finding.level}] {_escape(finding.section_title)}*\n{_escape(finding.message)}"
        if quoted:
            line += f"\n> {block.found}: {quoted}"
        if basis := finding.basis(block.reads_like):
            line += f"\n_{_escape(basis)}_"
        blocks.append(mrkdwn(line))
    return blocks


def choice_blocks(block: Choices) -> list[dict]:
    blocks = [mrkdwn(block.prompt)] if block.prompt else []
    elements = []
    for n, item in enumerate(block.choices[:MAX_BUTTONS]):
        button = {
            "type": "button",
            "text": {"type": "plain_text", "text": clip(item.label, MAX_BUTTON_TEXT), "emoji": True},
            "action_id": f"{item.action}#{n}",  # unique within the block, as Slack requires
            "value": item.value[:2000],
        }
        if item.style != "default":
            button["style"] = item.style
        elements.append(button)
    for start in range(0, len(elements), 5):  # five buttons a row reads better than 25
        blocks.append({"type": "actions", "elements": elements[start : start + 5]})
    return blocks


def to_blocks(reply: Reply) -> list[dict]:
    blocks: list[dict] = []
    for block in reply.blocks:
        if isinstance(block, Text):
            blocks.append(mrkdwn(spans_to_mrkdwn(block.spans)))
        elif isinstance(block, Note):
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": clip(block.text, MAX_TEXT)}]})
        elif isinstance(block, VerdictBlock):
            blocks.extend(verdict_blocks(block))
        elif isinstance(block, Fields):
            if block.title:
                blocks.append(mrkdwn(f"*{_escape(block.title)}*"))
            pairs = [f"*{_escape(name)}*\n{_escape(value)}" for name, value in block.fields]
            for start in range(0, len(pairs), 10):
                fields = [{"type": "mrkdwn", "text": clip(p, MAX_FIELD)} for p in pairs[start : start + 10]]
                blocks.append({"type": "section", "fields": fields})
        elif isinstance(block, Choices):
            blocks.extend(choice_blocks(block))
    if len(blocks) > MAX_BLOCKS:
        note = {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "(shortened: Slack shows 50 blocks at most)"}],
        }
        blocks = [*blocks[: MAX_BLOCKS - 1], note]
    return blocks


def fallback_text(reply: Reply) -> str:
    return clip(reply.plain() or " ", MAX_FALLBACK)


def message(reply: Reply) -> dict:
    return {"blocks": to_blocks(reply), "text": fallback_text(reply)}
