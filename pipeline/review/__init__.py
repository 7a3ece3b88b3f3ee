"""Review stage: editors accept, reject, correct and reassign the linker's matches.

Shared by the CLI (`pipeline review ...`) and the web app (`review/web.py`). Stage verbs:
"""

from .decisions import accept, reassign, reject, undo

__all__ = ["accept", "reassign", "reject", "undo"]
