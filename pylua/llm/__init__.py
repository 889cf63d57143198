"""LLM providers, agents and workflows for Lua scripts (the ``llm`` library).

- ``provider``: the provider interface (``Provider``, ``Completion``, ``ToolCall``,
  ``ProviderError``) and ``make_provider`` from a Lua provider table;
- ``openai``/``anthropic``: the HTTP providers (httpx, imported on first use);
- ``mock``: the offline provider;
- the Lua-facing library (agents, workflows, ``llm.json``) is ``pylua.lib.llmlib``.

Nothing here is imported when a script does not use ``llm``.
"""
