import { BODY_FRAGMENT, LEGACY_TITLE_KEY, LEGACY_TITLE_MAP, TITLE_TEXT } from '@tandem/protocol';
import { Node } from 'prosemirror-model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { schema } from './schema.js';
import { readTitle, writeTitle } from './title.js';
import { readDocument, readDocumentUpdate, toPlainText, toProseMirrorJSON, writeDocument } from './yjsDocument.js';

const p = (text: string) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
const body = (...blocks: object[]) => Node.fromJSON(schema, { type: 'doc', content: blocks });
/** Two Y.Docs that pass every update to each other at once, like two clients of one server. */
function linkedPair(): [Y.Doc, Y.Doc] {
  const [a, b] = [new Y.Doc(), new Y.Doc()];
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(b, u, 'peer'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(a, u, 'peer'));
  return [a, b];
}

describe('reading a document from its Y.Doc', () => {
  it('gives back what was written: title, blocks, marks and attributes', () => {
    const ydoc = new Y.Doc();
    const content = body(
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Plan' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'bold', marks: [{ type: 'bold' }] }, { type: 'hard_break' }, { type: 'text', text: 'next' }] },
      { type: 'bullet_list', content: [{ type: 'list_item', content: [p('one')] }, { type: 'list_item', content: [p('two')] }] },
      { type: 'horizontal_rule' },
      { type: 'code_block', content: [{ type: 'text', text: 'let x = 1;' }] },
    );
    writeDocument(ydoc, { title: 'Release', body: content });
    const read = readDocument(ydoc);
    expect(read.title).toBe('Release');
    expect(toProseMirrorJSON(read.body)).toEqual(content.toJSON());
    expect(toPlainText(read.body)).toBe('Plan\nbold\nnext\none\ntwo\nlet x = 1;');
    expect(readDocumentUpdate(Y.encodeStateAsUpdate(ydoc)).body.eq(content)).toBe(true);
  });

  it('reads an empty Y.Doc as an untitled, empty document', () => {
    const read = readDocument(new Y.Doc());
    expect(read.title).toBe('');
    expect(read.body.childCount).toBe(0);
    expect(toPlainText(read.body)).toBe('');
  });

  it('never changes the Y.Doc it reads, even where an element does not fit the schema', () => {
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment(BODY_FRAGMENT);
    const stranger = new Y.XmlElement('no_such_node');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('kept')]);
    fragment.insert(0, [stranger, paragraph]);
    const before = Y.encodeStateAsUpdate(ydoc);
    // y-prosemirror drops (and deletes) what the schema refuses; the reader works on a copy.
    expect(toPlainText(readDocument(ydoc).body)).toBe('kept');
    expect(fragment.length).toBe(2);
    expect(Y.encodeStateAsUpdate(ydoc)).toEqual(before);
  });

  it('refuses bytes that are not a Yjs update', () => {
    expect(() => readDocumentUpdate(new Uint8Array([1, 2, 3, 250, 250, 250]))).toThrow();
  });
});

describe('writing a document into its Y.Doc', () => {
  it('keeps the blocks that did not change, so text typed into them at the same time survives', () => {
    const [server, client] = linkedPair();
    writeDocument(server, { title: 'T', body: body(p('first'), p('second'), p('third')) });
    const secondBefore = server.getXmlFragment(BODY_FRAGMENT).get(1);

    // The client types into "second" while the server, not having seen it yet, rewrites the rest.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(client));
    const typed = (offline.getXmlFragment(BODY_FRAGMENT).get(1) as Y.XmlElement).get(0) as Y.XmlText;
    typed.insert('second'.length, ' and more');
    writeDocument(server, { title: 'New title', body: body(p('first, changed'), p('second')) });
    Y.applyUpdate(client, Y.encodeStateAsUpdate(offline));

    expect(server.getXmlFragment(BODY_FRAGMENT).get(1)).toBe(secondBefore);
    for (const ydoc of [server, client]) {
      expect(toPlainText(readDocument(ydoc).body)).toBe('first, changed\nsecond and more');
      expect(readTitle(ydoc)).toBe('New title');
    }
  });

  it('writes nothing when the content is already there', () => {
    const ydoc = new Y.Doc();
    const content = { title: 'Same', body: body(p('one'), p('two')) };
    writeDocument(ydoc, content);
    const updates: Uint8Array[] = [];
    ydoc.on('update', (u: Uint8Array) => updates.push(u));
    writeDocument(ydoc, readDocument(ydoc));
    expect(updates).toEqual([]);
  });

  it('empties the body when the content has no blocks', () => {
    const ydoc = new Y.Doc();
    writeDocument(ydoc, { title: 'x', body: body(p('gone'), p('too')) });
    writeDocument(ydoc, { title: '', body: schema.topNodeType.create() });
    expect(ydoc.getXmlFragment(BODY_FRAGMENT).length).toBe(0);
    expect(readTitle(ydoc)).toBe('');
  });
});

describe('the title', () => {
  it('lives in the layout the editor writes, and is not rewritten when unchanged', () => {
    const ydoc = new Y.Doc();
    expect(readTitle(ydoc)).toBe('');
    writeTitle(ydoc, 'Hello');
    expect(ydoc.getText(TITLE_TEXT).toString()).toBe('Hello');
    let writes = 0;
    ydoc.on('update', () => writes++);
    writeTitle(ydoc, 'Hello');
    expect(writes).toBe(0);
  });

  it('replaces only what differs, so a character typed into the title at the same time survives', () => {
    const server = new Y.Doc();
    writeTitle(server, 'Plans 2025');
    const typist = new Y.Doc();
    Y.applyUpdate(typist, Y.encodeStateAsUpdate(server));
    typist.getText(TITLE_TEXT).insert(0, 'Team ');
    writeTitle(server, 'Plans 2026');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(typist));
    Y.applyUpdate(typist, Y.encodeStateAsUpdate(server));
    expect(readTitle(server)).toBe('Team Plans 2026');
    expect(readTitle(typist)).toBe('Team Plans 2026');
  });

  it('moves a legacy string title out of the way when it writes one', () => {
    const ydoc = new Y.Doc();
    ydoc.getMap(LEGACY_TITLE_MAP).set(LEGACY_TITLE_KEY, 'Old');
    expect(readTitle(ydoc)).toBe('Old');
    writeTitle(ydoc, '');
    expect(readTitle(ydoc)).toBe('');
    expect(ydoc.getMap(LEGACY_TITLE_MAP).has(LEGACY_TITLE_KEY)).toBe(false);
  });
});
