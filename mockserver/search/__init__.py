"""The text side of vector stores: what file_search and ``POST /vector_stores/{id}/search``
stand on. No HTTP; the vector store resources (``mockserver.resources``) build on it, never
the reverse.

* ``chunking``: which files are retrievable, chunking strategies, the token rule;
* ``extraction``: a file's bytes to text (PDF, Word, PowerPoint, text files);
* ``index``: chunk windows, per-file inverted indexes, BM25 ranking (pure);
* ``filters``: attribute filters (pure);
* ``ingestion``: a vector store file's way from ``in_progress`` to ``completed`` or ``failed``,
  on the virtual clock;
* ``retrieval``: searching a sandbox's vector stores.
"""
