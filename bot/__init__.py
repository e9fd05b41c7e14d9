"""BRISMIS Assistant: answers questions about BRISMIS from its announcements, with cited sources.

The package reads as the path a question takes:
corpus -> chunking -> embeddings -> index -> retrieval -> answer -> (cli, console).
"""

__version__ = "0.1.0"
