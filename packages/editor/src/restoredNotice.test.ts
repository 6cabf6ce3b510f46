// @vitest-environment jsdom
import { PARAGRAPH_NODE, RESTORED_ATTRIBUTE } from '@tandem/protocol';
import type { EditorView } from 'prosemirror-view';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RESTORED_NOTICE_TEXT, restoredNoticePlugin } from './restoredNotice.js';
import { localView } from './testing/view.js';

afterEach(() => document.body.replaceChildren());

/** Two editors on two Y.Docs that forward every update to each other, as a server would. */
function twoEditors(): { views: EditorView[]; docs: Y.Doc[] } {
  const docs = [new Y.Doc(), new Y.Doc()];
  docs[0]!.on('update', (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(docs[1]!, update, 'peer'));
  docs[1]!.on('update', (update: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(docs[0]!, update, 'peer'));
  const views = docs.map((doc) => localView([restoredNoticePlugin()], doc).view);
  return { views, docs };
}

/** What the sync server writes when it keeps words from a deleted paragraph (PROTOCOL.md). */
function serverRestores(doc: Y.Doc, words: string): void {
  const paragraph = new Y.XmlElement(PARAGRAPH_NODE);
  doc.getXmlFragment('prosemirror').push([paragraph]);
  paragraph.setAttribute(RESTORED_ATTRIBUTE, true as unknown as string);
  paragraph.insert(0, [new Y.XmlText(words)]);
}

const banner = (view: EditorView) => view.dom.parentElement!.querySelector<HTMLElement>('.tandem-restored-notice')!;

describe('restored paragraphs', () => {
  it('are shown marked, with a banner saying why, to everyone', () => {
    const { views, docs } = twoEditors();
    for (const view of views) expect(banner(view).hidden).toBe(true);
    serverRestores(docs[0]!, 'kept words');
    for (const view of views) {
      const marked = view.dom.querySelector('p.tandem-restored');
      expect(marked?.textContent).toBe('kept words');
      expect(banner(view).hidden).toBe(false);
      expect(banner(view).textContent).toContain(RESTORED_NOTICE_TEXT);
      expect(banner(view).getAttribute('role')).toBe('status');
    }
  });

  it('Dismiss clears the mark for everyone and keeps the words', () => {
    const { views, docs } = twoEditors();
    serverRestores(docs[0]!, 'kept words');
    banner(views[1]!).querySelector('button')!.click();
    for (const [i, view] of views.entries()) {
      expect(view.dom.querySelector('p.tandem-restored')).toBeNull();
      expect(banner(view).hidden).toBe(true);
      expect(view.state.doc.textContent).toBe('kept words');
      const paragraph = docs[i]!.getXmlFragment('prosemirror').toArray().at(-1) as Y.XmlElement;
      expect(paragraph.getAttribute(RESTORED_ATTRIBUTE)).toBeUndefined();
    }
  });

  it('a read-only viewer can hide the banner without changing the document, until more words are restored', () => {
    const { views, docs } = twoEditors();
    const viewer = views[1]!;
    viewer.setProps({ editable: () => false });
    serverRestores(docs[0]!, 'first');
    const button = banner(viewer).querySelector('button')!;
    expect(button.textContent).toBe('Hide');
    button.click();
    expect(banner(viewer).hidden).toBe(true);
    expect(viewer.dom.querySelector('p.tandem-restored')).not.toBeNull();
    expect(banner(views[0]!).hidden).toBe(false);
    serverRestores(docs[0]!, 'second');
    expect(banner(viewer).hidden).toBe(false);
  });
});
