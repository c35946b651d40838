"""The backend: resource rules on plain objects, no HTTP (moto's ``models.py``).

Tables in a sandbox (``Sandbox.table(kind, scope)``):
``assistants``; ``threads``; ``messages``/thread id; ``runs``/thread id; ``steps``/run id;
``files``; ``uploads``; ``vector_stores``; ``vector_store_files``/store id;
``file_batches``/store id.
"""
