"""Search: text analysis, query parsing, indexing and retrieval in English and Chinese."""
