"""Extract stage: fetched bytes → Extraction. The stage verb is the package's only export."""

from pipeline.extract.document import EXTRACTOR_VERSION, extract_document

__all__ = ["EXTRACTOR_VERSION", "extract_document"]
