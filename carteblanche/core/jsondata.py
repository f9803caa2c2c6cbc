"""JSON files that people upload (CAF exports, boundaries, routing tables): read them without ever crashing."""

import json


class UnreadableJson(ValueError):
    """The file cannot be read as JSON; ``reason`` says why in French, ``line`` where (when known)."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason, self.line = reason, line


def load(raw: bytes | str, **kwargs):
    """``json.loads`` for an upload: undecodable bytes, invalid JSON, or nesting so deep that Python's parser would
    overflow (``[[[[…`` by the hundred thousand) all become ``UnreadableJson``."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        return json.loads(text, **kwargs)
    except UnicodeDecodeError as exc:
        raise UnreadableJson("le fichier n'est pas en UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise UnreadableJson(f"JSON illisible (ligne {exc.lineno}, colonne {exc.colno})", exc.lineno) from exc
    except RecursionError as exc:
        raise UnreadableJson("JSON imbriqué bien trop profondément : ce n'est pas un export attendu") from exc
