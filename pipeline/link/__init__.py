"""Link stage: documents' extractions → evidence-scored matches to policy entries."""

from .index import PolicyIndex, PolicyLookup
from .score import score_document as link_document

__all__ = ["PolicyIndex", "PolicyLookup", "link_document"]
