"""Publishing: one MkDocs build, the search index, the atomic swap of site/."""
