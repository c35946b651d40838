"""The pytest plugin of openai-assistants-mock (entry point ``assistants_mock``)."""
