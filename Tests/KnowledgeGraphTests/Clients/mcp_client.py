"""Drives `kg mcp` with the official MCP Python SDK, as an assistant's client would.

Usage: python3 mcp_client.py KG VAULT
Lists the tools, calls each on the vault, compares every structuredContent with the CLI's
--json answer to the same question, and tries the refused and bounded inputs. Exits 1 with
the failures listed, 0 when every check holds.
"""
import asyncio
import json
import subprocess
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

KG, VAULT = sys.argv[1], sys.argv[2]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def cli(*args):
    out = subprocess.run([KG, *args, "--json", "--vault", VAULT], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def wrap(value):
    return {"results": value} if isinstance(value, list) else value


async def main():
    params = StdioServerParameters(command=KG, args=["mcp", "--vault", VAULT])
    async with stdio_client(params) as streams:
        read, write = streams[0], streams[1]
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            check(init.server_info.name == "kg", "serverInfo.name is kg")
            tools = {t.name: t for t in (await session.list_tools()).tools}
            expected = {"search_notes", "related_entities", "entity_mentions", "connection_path", "list_entities",
                        "read_note", "suggest_entities", "backlinks"}
            check(set(tools) == expected, f"tools listed: {sorted(tools)}")
            for t in tools.values():
                check(bool(t.description) and t.input_schema.get("type") == "object", f"{t.name} has a description and a schema")
                check(t.annotations is not None and t.annotations.read_only_hint is True, f"{t.name} is read-only")

            # Each tool against the CLI's --json for the same question.
            calls = [
                ("search_notes", {"query": "카카오", "limit": 5}, ["search", "카카오", "--limit", "5"]),
                ("related_entities", {"entity": "FFM", "limit": 5}, ["related", "FFM", "--limit", "5"]),
                ("related_entities", {"entity": "카카오", "by": "npmi", "limit": 3}, ["related", "카카오", "--by", "npmi", "--limit", "3"]),
                ("entity_mentions", {"entity": "LightGCN", "limit": 20}, ["mentions", "LightGCN", "--limit", "20"]),
                ("connection_path", {"from": "FFM", "to": "카카오"}, ["path", "FFM", "카카오"]),
                ("list_entities", {"type": "company", "limit": 50}, ["entities", "--type", "company", "--limit", "50"]),
                ("suggest_entities", {"limit": 5}, ["suggest", "--limit", "5"]),
                ("suggest_entities", {"name": "카카오에서"}, ["suggest", "카카오에서"]),
                ("backlinks", {"note": "2023-02-19-CUAI-면접"}, ["backlinks", "2023-02-19-CUAI-면접", "--limit", "10"]),
                ("backlinks", {"note": "2023-02-19-CUAI-면접", "unlinked": True}, ["backlinks", "2023-02-19-CUAI-면접", "--unlinked", "--limit", "10"]),
            ]
            for name, arguments, args in calls:
                r = await session.call_tool(name, arguments)
                check(not r.is_error, f"{name} {arguments} succeeds: {r.content}")
                check(r.content and r.content[0].type == "text" and r.content[0].text.strip(), f"{name} has readable text")
                check(r.structured_content == wrap(cli(*args)), f"{name} {arguments}: structuredContent equals kg {' '.join(args)} --json")

            r = await session.call_tool("read_note", {"note": "journal/2023-02-19-CUAI-면접.md", "start_line": 1, "end_line": 3})
            check(not r.is_error and r.structured_content["lines"] and r.structured_content["start_line"] == 1
                  and len(r.structured_content["lines"]) == 3, f"read_note reads lines: {r.structured_content}")

            # A failing tool: an error result with a clear message, did-you-mean included.
            r = await session.call_tool("related_entities", {"entity": "FFMM"})
            check(r.is_error and "FFM" in r.content[0].text, f"an unknown entity is an error result naming the closest: {r.content}")

            # Refused paths: out of the vault, absolute, hidden folders.
            for bad in ["../../etc/passwd", "/etc/passwd", ".kg/lexicon.txt", ".git/config", "bootcamp/../../x.md"]:
                r = await session.call_tool("read_note", {"note": bad})
                check(r.is_error, f"read_note refuses {bad}")

            # Bounded: a huge limit, a huge query.
            r = await session.call_tool("list_entities", {"limit": 10**9})
            check(not r.is_error and len(r.structured_content["results"]) <= 1000, "a limit of 10^9 is bounded")
            r = await session.call_tool("search_notes", {"query": "카" * 20000})
            check(r.is_error, "a 20,000-character query is refused")

            # An unknown tool is a protocol error.
            try:
                await session.call_tool("delete_everything", {})
                check(False, "an unknown tool raises a protocol error")
            except Exception as e:  # noqa: BLE001
                check("unknown tool" in str(e), f"an unknown tool's error says so: {e}")


asyncio.run(main())
if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("ok")
