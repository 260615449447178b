"""The content model: what an editor writes in content.yaml, validated (pydantic)."""
