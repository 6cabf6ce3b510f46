/**
 * Test helpers for documents as the editor writes them (a ProseMirror body in the Y.Doc's
 * fragment, written with @tandem/document like y-prosemirror would), and for the version API.
 */
import { readDocument, schema, toPlainText, writeDocument } from '@tandem/document';
import type { VersionInfo } from '@tandem/protocol';
import * as Y from 'yjs';

/** Make `doc`'s body one paragraph per text (and set its title), as an editor would. */
export function writeParagraphs(doc: Y.Doc, texts: readonly string[], title = ''): void {
  const body = schema.node('doc', null, texts.map((text) => schema.node('paragraph', null, text ? [schema.text(text)] : [])));
  writeDocument(doc, { title, body });
}

/** `doc`'s body as plain text, one line per paragraph. */
export function bodyText(doc: Y.Doc): string {
  return toPlainText(readDocument(doc).body);
}

/** The Y.XmlText of the `index`th paragraph, to type into. */
export function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  const paragraph = doc.getXmlFragment('prosemirror').get(index) as Y.XmlElement;
  return paragraph.get(0) as Y.XmlText;
}

/** Calls the version API of the server at `httpUrl`, with `token` as a bearer token when given. */
export class VersionApi {
  constructor(
    private readonly httpUrl: string,
    private readonly token?: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.httpUrl}/api/docs/${path}`, { ...init, headers: this.headers(init.headers as Record<string, string>) });
  }

  async list(docName: string): Promise<VersionInfo[]> {
    const res = await this.fetch(`${docName}/versions`);
    if (res.status !== 200) throw new Error(`list answered ${res.status}`);
    return (await res.json()) as VersionInfo[];
  }

  async name(docName: string, label: string): Promise<string> {
    const res = await this.fetch(`${docName}/versions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label }) });
    if (res.status !== 201) throw new Error(`naming answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  }

  async text(docName: string, id: string): Promise<string> {
    const res = await this.fetch(`${docName}/versions/${id}?format=text`);
    if (res.status !== 200) throw new Error(`view answered ${res.status}`);
    return res.text();
  }

  async restore(docName: string, id: string): Promise<{ restored: string; beforeRestore: string }> {
    const res = await this.fetch(`${docName}/versions/${id}/restore`, { method: 'POST' });
    if (res.status !== 200) throw new Error(`restore answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { restored: string; beforeRestore: string };
  }
}
