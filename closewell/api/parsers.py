"""The API's JSON parser: a body nested too deeply to read is a 400 like any other bad JSON."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request the API documents nests deeper than a few levels; anything deeper is refused before a
# serializer, an error message or the audit trail walks it recursively.
MAX_DEPTH = 32
TOO_DEEP = f"JSON parse error - the body is nested too deeply (at most {MAX_DEPTH} levels)."


def depth(value) -> int:
    """How deeply lists and objects nest in a parsed body, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                break
            stack.extend((child, level + 1) for child in item)
    return deepest


class SafeJSONParser(JSONParser):
    """Python's json module recurses once per nesting level, so a body of 100,000 '[' raises
    RecursionError (a server error) instead of a parse error: refuse it, and any body nested
    deeper than MAX_DEPTH, as malformed JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if depth(data) > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        return data
