"""The sentences of `data/routing.yaml` that users read, for gettext: a Babel extraction method.

`babel.cfg` maps routing.yaml to `extract_explanations`, so `make catalogs-update` puts every rule's
`explain` and every entry of `explanations` into locales/messages.pot beside the bot's own msgids.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

import yaml

EXPLANATION_KEYS = {"explain"}
EXPLANATION_MAPS = {"explanations"}


def explanations(text: str) -> Iterator[tuple[int, str]]:
    """(line, sentence) for every explanation in a routing.yaml text, in file order."""
    root = yaml.compose(text)
    if root is not None:
        yield from _walk(root, inside_map=False)


def _walk(node: yaml.Node, inside_map: bool) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if isinstance(value, yaml.ScalarNode) and (name in EXPLANATION_KEYS or inside_map):
                yield value.start_mark.line + 1, str(value.value)
            else:
                yield from _walk(value, inside_map=name in EXPLANATION_MAPS)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, inside_map=False)


def extract_explanations(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extraction interface: (line, function name, message, translator comments)."""
    text = fileobj.read().decode(str(options.get("encoding", "utf-8")))
    for line, sentence in explanations(text):
        yield line, None, sentence, ["Why a service is recommended (routing.yaml)."]
