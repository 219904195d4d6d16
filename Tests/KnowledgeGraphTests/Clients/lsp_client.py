"""Drives `kg lsp` with pygls's language client, as an editor would.

Usage: python3 lsp_client.py KG
Builds a small vault, opens a note with unsaved text, and checks hover, completion (Hangul
prefixes and [[), definition, references, diagnostics with their code action, the lexicon's
diagnostics, and a clean shutdown. Exits 1 with the failures listed, 0 when all hold.
"""
import asyncio
import os
import sys
import tempfile

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

KG = sys.argv[1]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def uri(root, path):
    from pathlib import Path
    return Path(os.path.join(root, path)).as_uri()


async def main():
    root = tempfile.mkdtemp(prefix="kg-lsp-")
    write(root, ".kg/lexicon.txt", "company: 카카오 | Kakao\ncompany: 카카오엔터테인먼트\nconcept: LightGCN\nconcept: Kakao\n")
    write(root, "concepts/FFM.md", "---\nentity: concept\n---\n# FFM\nField-aware Factorization Machine.\n")
    write(root, "notes/a.md", "# 첫 노트\nFFM 과 LightGCN 을 [[FFM]] 에서 비교했다.\n카카오에서 쓴다.\n")
    write(root, "notes/b.md", "# 둘째\n저장된 내용\n")
    subprocess = await asyncio.create_subprocess_exec(KG, "index", "--vault", root)
    await subprocess.wait()

    client = LanguageClient("kg-test", "1")
    diagnostics = {}
    got = asyncio.Event()

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params):
        diagnostics[params.uri] = params.diagnostics
        got.set()

    await client.start_io(KG, "lsp", "--vault", root)
    init = await client.initialize_async(t.InitializeParams(capabilities=t.ClientCapabilities(), root_uri=uri(root, "")))
    check(init.capabilities.hover_provider, "hover is offered")
    client.initialized(t.InitializedParams())

    b = uri(root, "notes/b.md")
    text = "# 둘째\nFFM 과 카카오를 비교. [[a]] 와 [[없는노트]]\n"
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(uri=b, language_id="markdown", version=1, text=text)))
    await asyncio.wait_for(got.wait(), 20)
    codes = {(d.code, d.severity) for d in diagnostics.get(b, [])}
    check(("unresolved-link", t.DiagnosticSeverity.Warning) in codes, f"an unresolved wikilink is a warning: {codes}")
    check(("unlinked-mention", t.DiagnosticSeverity.Hint) in codes, f"an unlinked mention of an entity note is a hint: {codes}")

    doc = t.TextDocumentIdentifier(uri=b)
    hover = await client.text_document_hover_async(t.HoverParams(text_document=doc, position=t.Position(line=1, character=1)))
    check(hover is not None and "FFM" in hover.contents.value and "concept" in hover.contents.value, f"hover on FFM: {hover}")
    hover = await client.text_document_hover_async(t.HoverParams(text_document=doc, position=t.Position(line=1, character=18)))
    check(hover is not None and "첫 노트" in hover.contents.value, f"hover on [[a]] shows its title: {hover}")

    async def type_and_complete(version, replaced_to, text):
        """Replaces line 2's first `replaced_to` characters with `text` (typed, not saved),
        then asks for completions after it."""
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=b, version=version),
            content_changes=[t.TextDocumentContentChangePartial(
                range=t.Range(start=t.Position(line=2, character=0), end=t.Position(line=2, character=replaced_to)), text=text)]))
        items = await client.text_document_completion_async(
            t.CompletionParams(text_document=doc, position=t.Position(line=2, character=len(text))))
        return {i.label for i in (items.items if hasattr(items, "items") else items)}

    # A new line with a Hangul prefix, then a wikilink opened in its place.
    labels = await type_and_complete(2, 0, "카카")
    check({"카카오", "카카오엔터테인먼트"} <= labels, f"카카 completes to 카카오 and 카카오엔터테인먼트: {labels}")
    labels = await type_and_complete(3, 2, "[[")
    check({"a", "FFM"} <= labels, f"[[ completes note names: {labels}")

    found = await client.text_document_definition_async(t.DefinitionParams(text_document=doc, position=t.Position(line=1, character=1)))
    found = found if isinstance(found, list) else [found]
    check(found and found[0].uri.endswith("concepts/FFM.md"), f"FFM's definition is its entity note: {found}")
    found = await client.text_document_definition_async(t.DefinitionParams(text_document=doc, position=t.Position(line=1, character=7)))
    found = found if isinstance(found, list) else [found]
    check(found and found[0].uri.endswith(".kg/lexicon.txt") and found[0].range.start.line == 0, f"카카오's definition is its lexicon line: {found}")

    refs = await client.text_document_references_async(t.ReferenceParams(text_document=doc, position=t.Position(line=1, character=1),
        context=t.ReferenceContext(include_declaration=True)))
    check(any(r.uri.endswith("notes/a.md") and r.range.start.line == 1 for r in refs or []), f"FFM's references include notes/a.md: {refs}")

    actions = await client.text_document_code_action_async(t.CodeActionParams(text_document=doc,
        range=t.Range(start=t.Position(line=1, character=0), end=t.Position(line=1, character=3)), context=t.CodeActionContext(diagnostics=[])))
    edits = [e.new_text for a in actions or [] for e in a.edit.changes[b]]
    check("[[FFM]]" in edits, f"a code action links the mention: {edits}")

    lexicon = uri(root, ".kg/lexicon.txt")
    got.clear()
    with open(os.path.join(root, ".kg/lexicon.txt"), encoding="utf-8") as f:
        client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(uri=lexicon, language_id="plaintext", version=1, text=f.read())))
    await asyncio.wait_for(got.wait(), 20)
    lines = {d.range.start.line for d in diagnostics.get(lexicon, []) if d.severity == t.DiagnosticSeverity.Warning}
    check(0 in lines, f"the lexicon line whose alias collides is a warning: {diagnostics.get(lexicon)}")

    await client.shutdown_async(None)
    client.exit(None)
    code = await asyncio.wait_for(client._server.wait(), 20)
    check(code == 0, f"the server exits 0 after shutdown and exit, not {code}")
    for p in ["notes/a.md", "notes/b.md", "concepts/FFM.md"]:
        with open(os.path.join(root, p), encoding="utf-8") as f:
            check("저장된" in f.read() if p == "notes/b.md" else True, f"{p} is never written")
    await client.stop()


asyncio.run(main())
if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("ok")
