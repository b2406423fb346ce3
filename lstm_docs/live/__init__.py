"""The live-examples engine: pure functions over Markdown text, independent of mkdocs."""
