"""The backend: resource rules on plain objects, no HTTP (moto's ``models.py``).

Each module takes the sandbox and reaches its collections by name
(:class:`mockserver.backend.Backend`); list operations take the edge's pager and answer a
page. The text side of vector stores (chunking, indexes, ingestion, retrieval) is
``mockserver.search``; runs are the engine's (``mockserver.engine``).
"""
