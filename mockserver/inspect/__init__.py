"""The inspector's data: what ``/__mock__/inspect`` shows of a sandbox, and how.

* :mod:`.naming`: the opaque ``sbx_…`` handle that names a sandbox without its key;
* :mod:`.explain`: the sentences a run's explanation is made of, written by the engine where
  it decides (the engine imports this module, so it imports nothing of the engine);
* :mod:`.notifier`: change notices for the live event stream, costing nothing without a
  listener;
* :mod:`.views`: the read-only views of a sandbox, a thread and a run (they never move a run
  on, never create a sandbox);
* :mod:`.report`: the same, as the plain text the pytest plugin adds to a failed test.
"""
