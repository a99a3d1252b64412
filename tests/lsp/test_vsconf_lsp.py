"""`vsconf lsp` driven by a real LSP client (pytest-lsp), as an editor would.

Run by tests/lsp/main.rs (`cargo test --test lsp`), which sets:
  VSCONF          the vsconf binary under test
  VSCONF_LSP_OUT  a scratch directory; the test writes `fixed.conf` there, the file the code actions
                  produced, and the Rust side starts the real vsftpd with it.
"""

import os
import pathlib
import shutil

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

VSCONF = os.environ["VSCONF"]
OUT = pathlib.Path(os.environ["VSCONF_LSP_OUT"])
ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "examples" / "article-passive-mode.conf"

# The misspelt lines of the article snippet (0-based) and the names vsftpd knows.
MISSPELT = {
    19: ("Port_enable", "port_enable"),
    20: ("Connect_from_port_20", "connect_from_port_20"),
    21: ("Ftp_date_port", "ftp_data_port"),
    22: ("PASV_enable", "pasv_enable"),
    23: ("PASV_min_port", "pasv_min_port"),
    24: ("PASV_max_port", "pasv_max_port"),
}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[VSCONF, "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=pytest_lsp.client_capabilities("neovim@v0.10.0"),
            root_uri=OUT.as_uri(),
        )
    )
    yield
    await lsp_client.shutdown_session()


def project(name: str, text: str) -> pathlib.Path:
    """A folder with the config and a vsconf.toml naming the build installed here (Debian 12)."""
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "vsconf.toml").write_text('dialect = "debian-3.0.3"\n')
    path = folder / "vsftpd.conf"
    path.write_text(text)
    return path


async def open_and_wait(client: LanguageClient, path: pathlib.Path, text: str):
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="vsftpd", version=1, text=text
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


def apply(text: str, edits) -> str:
    """Applies LSP text edits (UTF-16 positions; the texts here are ASCII) from the last to the first."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(p):
        return starts[p.line] + p.character if p.line < len(starts) else len(text)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


def code(d):
    return d.code if isinstance(d.code, str) else None


async def test_article_snippet_diagnostics_hover_completion_and_fixes(client: LanguageClient):
    text = ARTICLE.read_text()
    path = project("article", text)
    uri = await open_and_wait(client, path, text)
    diagnostics = client.diagnostics[uri]

    # VSC001 on each misspelt line, with its did-you-mean, as `vsconf lint` reports it.
    vsc001 = {d.range.start.line: d for d in diagnostics if code(d) == "VSC001"}
    assert sorted(vsc001) == sorted(MISSPELT), [(d.range.start.line, d.code) for d in diagnostics]
    for line, (wrong, right) in MISSPELT.items():
        d = vsc001[line]
        assert d.severity == types.DiagnosticSeverity.Error
        assert d.source == "vsconf"
        assert f"unrecognised setting `{wrong}`" in d.message
        assert f"did you mean `{right}`?" in d.message
        assert (d.range.start.character, d.range.end.character) == (0, len(wrong))

    # The startup verdict sits on the line where vsftpd stops: the first misspelt one.
    [verdict] = [d for d in diagnostics if code(d) == "startup"]
    assert verdict.range.start.line == 19
    assert "500 OOPS: unrecognised variable in config file: Port_enable" in verdict.message

    # Completion on `pasv_m` at the end of the buffer offers both range settings.
    lines = text.split("\n")
    end = types.Position(line=len(lines) - 1, character=len(lines[-1]))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=end, end=end), text="\npasv_m"
                )
            ],
        )
    )
    completion = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=len(lines), character=6),
        )
    )
    items = completion.items if hasattr(completion, "items") else completion
    labels = [i.label for i in items]
    assert "pasv_min_port" in labels and "pasv_max_port" in labels, labels
    assert "listen" not in labels
    # Take the line back out.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )

    # Code actions: one quick fix per misspelt line, safe ones preferred, and "fix all safe problems".
    everything = types.Range(
        start=types.Position(line=0, character=0),
        end=types.Position(line=len(lines), character=0),
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=everything,
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [a.title for a in actions]
    for _, right in MISSPELT.values():
        assert f"VSC001 (unrecognised-variable): rename to `{right}`" in titles, titles
    [fix_all] = [a for a in actions if a.title == "vsconf: fix all safe problems"]
    assert fix_all.kind == "source.fixAll.vsconf"
    fixed = apply(text, fix_all.edit.changes[uri])
    for wrong, right in MISSPELT.values():
        assert f"\n{right}=" in fixed and wrong not in fixed
    (OUT / "fixed.conf").write_text(fixed)

    # The fixed buffer: no VSC001, no startup verdict, and hover on pasv_min_port describes it.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=4),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=23, character=5),
        )
    )
    assert hover.contents.kind == types.MarkupKind.Markdown
    value = hover.contents.value
    assert value.startswith("**pasv_min_port** — number"), value
    assert "Default in debian-3.0.3: `5001`" in value, value
    assert "Effective value: `40000`, set on this line" in value, value
    assert (hover.range.start.line, hover.range.start.character, hover.range.end.character) == (23, 0, 13)
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    after = client.diagnostics[uri]
    assert not [d for d in after if code(d) in ("VSC001", "startup")], [d.message for d in after]


async def test_values_symbols_definition_and_formatting(client: LanguageClient):
    text = "listen=YES\nlisten_port=21abc\nlocal_umask=022\nListen=NO\nanonymous_enable=YES \nlisten=NO\n"
    path = project("values", text)
    uri = await open_and_wait(client, path, text)

    async def hover_at(line, character):
        h = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line, character=character),
            )
        )
        return h.contents.value

    assert "as **21**" in await hover_at(1, 13)
    assert "ignores `abc`" in await hover_at(1, 13)
    assert "**022 (decimal 18)**" in await hover_at(2, 13)
    refused = await hover_at(4, 18)
    assert "**refused**" in refused and "trailing whitespace" in refused

    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert [s.name for s in symbols] == [
        "listen", "listen_port", "local_umask", "Listen", "anonymous_enable", "listen",
    ]
    assert symbols[0].detail == "YES (overridden by line 6)"
    assert list(symbols[0].tags) == [types.SymbolTag.Deprecated]

    definition = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=2),
        )
    )
    target = definition[0] if isinstance(definition, list) else definition
    assert target.range.start.line == 5

    # Formatting applies the case fix (Listen → listen) and the whitespace one, nothing else.
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            options=types.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    formatted = apply(text, edits)
    assert "\nlisten=NO\nanonymous_enable=YES\n" in formatted, formatted
    assert "listen_port=21abc" in formatted and "local_umask=022" in formatted
