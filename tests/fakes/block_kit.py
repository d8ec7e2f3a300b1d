"""Block Kit as strict as Slack: what real Slack answers `invalid_blocks` to, a problem here.

slack_sdk.models checks a block's own limits but not its elements' (a 76-character button label
passes), nor anything across blocks (two buttons with one `action_id` in one block). Those
rules, from Slack's Block Kit reference, are added here.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block, BlockElement

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
SECTION_FIELD = 2000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTIONS_ELEMENTS = 25
ID_LENGTH = 255


def problems(blocks: list[dict[str, Any]], *, where: str, limit: int = MESSAGE_BLOCKS) -> list[str]:
    """Every rule a list of blocks breaks, in words that name the block; [] when Slack would
    accept it."""
    found: list[str] = []
    if len(blocks) > limit:
        found.append(f"{where}: {len(blocks)} blocks, Slack allows {limit}")
    block_ids: set[str] = set()
    for index, raw in enumerate(blocks):
        name = f"{where}: block {index} ({raw.get('type')})"
        found.extend(_sdk_problems(name, raw))
        block_id = raw.get("block_id")
        if block_id is not None:
            if block_id in block_ids:
                found.append(f"{name}: block_id {block_id!r} repeated in one message")
            block_ids.add(block_id)
        found.extend(_text_limits(name, raw))
        action_ids: set[str] = set()
        for element in _elements(raw):
            action_id = element.get("action_id")
            if action_id is None:
                continue
            if len(action_id) > ID_LENGTH:
                found.append(f"{name}: action_id longer than {ID_LENGTH}")
            if action_id in action_ids:
                found.append(f"{name}: action_id {action_id!r} repeated in one block")
            action_ids.add(action_id)
    return found


def _sdk_problems(name: str, raw: dict[str, Any]) -> list[str]:
    try:
        parsed = Block.parse(raw)
        if parsed is None:
            return [f"{name}: unknown block type"]
        parsed.validate_json()
        for element in _elements(raw):
            parsed_element = BlockElement.parse(element)
            if parsed_element is not None:
                parsed_element.validate_json()
    except Exception as error:  # the SDK's words name the broken attribute
        return [f"{name}: {error}"]
    return []


def _elements(raw: dict[str, Any]) -> list[dict[str, Any]]:
    elements = list(raw.get("elements") or [])
    if isinstance(raw.get("accessory"), dict):
        elements.append(raw["accessory"])
    if isinstance(raw.get("element"), dict):
        elements.append(raw["element"])
    return [e for e in elements if isinstance(e, dict)]


def _text_limits(name: str, raw: dict[str, Any]) -> list[str]:
    """Limits measured on the text Slack receives, after escaping."""
    found: list[str] = []
    kind = raw.get("type")
    text = (raw.get("text") or {}).get("text", "")
    if kind == "section" and len(text) > SECTION_TEXT:
        found.append(f"{name}: text of {len(text)} characters, Slack allows {SECTION_TEXT}")
    if kind == "header" and len(text) > HEADER_TEXT:
        found.append(f"{name}: header of {len(text)} characters, Slack allows {HEADER_TEXT}")
    for field in raw.get("fields") or []:
        if len(field.get("text", "")) > SECTION_FIELD:
            found.append(f"{name}: a field over {SECTION_FIELD} characters")
    if kind == "actions" and len(raw.get("elements") or []) > ACTIONS_ELEMENTS:
        found.append(f"{name}: more than {ACTIONS_ELEMENTS} elements")
    for element in _elements(raw):
        if element.get("type") != "button":
            continue
        label = (element.get("text") or {}).get("text", "")
        if len(label) > BUTTON_TEXT:
            found.append(f"{name}: button text of {len(label)} characters, Slack allows 75")
        if len(element.get("value", "")) > BUTTON_VALUE:
            found.append(f"{name}: button value over {BUTTON_VALUE} characters")
    return found
