"""Workflows of agents (``llm.workflow.sequential`` / ``llm.workflow.concurrent``).

A run's result is JSON text (swarms-rs's metadata, trimmed to what is deterministic
but the durations)::

    {"name": ..., "description": ..., "task": ...,
     "agents": [{"agent_name": ..., "task": <its input>, "output": ..., "duration": <s>}, ...],
     "final_output": ...}                   -- sequential only

Sequential: each agent gets the previous one's output as ``"[From Agent] <name>:\\n
<output>"``; the first failure ends the run with an error naming the agent.
Concurrent: every agent gets the task at the same time (``asyncio.gather``); an agent
that fails has ``"output": null`` and ``"error": <message>`` in its entry, and the run
fails only when every agent failed.
"""
from __future__ import annotations

import asyncio
import json
from time import perf_counter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SEQUENTIAL, CONCURRENT = "sequential", "concurrent"


class Workflow:
    def __init__(self, kind: str, name: str, description: str, agents: list) -> None:
        self.kind = kind
        self.name = name
        self.description = description
        self.agents = agents

    async def run(self, task: str) -> tuple:
        """``(json_text, None)`` or ``(None, message)``."""
        if self.kind == SEQUENTIAL:
            entries, err = await self._sequential(task)
        else:
            entries, err = await self._concurrent(task)
        if err is not None:
            return None, f"workflow '{self.name}': {err}"
        result = {"name": self.name, "description": self.description, "task": task,
                  "agents": entries}
        if self.kind == SEQUENTIAL:
            result["final_output"] = entries[-1]["output"]
        return json.dumps(result, ensure_ascii=False, separators=(",", ":")), None

    async def _sequential(self, task: str) -> tuple:
        entries = []
        given = task
        for agent in self.agents:
            entry = await _run_agent(agent, given)
            if "error" in entry:
                return None, entry["error"]
            entries.append(entry)
            given = f"[From Agent] {agent.name}:\n{entry['output']}"
        return entries, None

    async def _concurrent(self, task: str) -> tuple:
        entries = await asyncio.gather(*(_run_agent(a, task) for a in self.agents))
        if all("error" in e for e in entries):
            return None, "every agent failed: " + "; ".join(e["error"] for e in entries)
        return list(entries), None


async def _run_agent(agent: Any, task: str) -> dict:
    start = perf_counter()
    output, err = await agent.run(task)
    entry = {"agent_name": agent.name, "task": task, "output": output,
             "duration": round(perf_counter() - start, 3)}
    if err is not None:
        entry["error"] = err
    return entry
