"""Link stage: documents' extractions → evidence-scored matches to policy entries, and
proposals that a policy needs a look when one of its norms is amended."""

from .index import PolicyIndex, PolicyLookup
from .proposals import find_proposals
from .score import score_document as link_document

__all__ = ["PolicyIndex", "PolicyLookup", "find_proposals", "link_document"]
