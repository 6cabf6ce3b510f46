import { baseKeymap } from 'prosemirror-commands';
import { keymap } from 'prosemirror-keymap';
import type { Node } from 'prosemirror-model';
import { EditorState, TextSelection, type Plugin } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { initProseMirrorDoc, ySyncPlugin, yUndoPlugin } from 'y-prosemirror';
import * as Y from 'yjs';
import { inputRulesPlugin } from '../inputRules.js';
import { keymapPlugin } from '../keymap.js';
import { schema } from '@tandem/document';

/** A ProseMirror view on a local Y.Doc with Tandem's plugins, in jsdom (no server). */
export function localView(extra: Plugin[] = [], ydoc = new Y.Doc()): { view: EditorView; ydoc: Y.Doc } {
  const fragment = ydoc.getXmlFragment('prosemirror');
  const initial = initProseMirrorDoc(fragment, schema);
  const { mapping } = initial;
  const doc = initial.doc.childCount > 0 ? initial.doc : schema.topNodeType.createAndFill()!;
  const place = document.createElement('div');
  document.body.append(place);
  const view = new EditorView(place, {
    state: EditorState.create({
      schema,
      doc,
      plugins: [ySyncPlugin(fragment, { mapping }), yUndoPlugin(), inputRulesPlugin(schema), keymapPlugin(schema), keymap(baseKeymap), ...extra],
    }),
  });
  return { view, ydoc };
}

/** Type `text` one character at a time, as the browser would, so input rules fire. */
export function type(view: EditorView, text: string): void {
  for (const char of text) {
    const { from, to } = view.state.selection;
    const handled = view.someProp('handleTextInput', (f) => f(view, from, to, char, () => view.state.tr.insertText(char, from, to)));
    if (!handled) view.dispatch(view.state.tr.insertText(char, from, to));
  }
}

/** Replace the document with `doc` and put the cursor at `pos`. */
export function setDoc(view: EditorView, doc: Node, pos = 1): void {
  const tr = view.state.tr.replaceWith(0, view.state.doc.content.size, doc.content);
  tr.setSelection(TextSelection.create(tr.doc, pos));
  view.dispatch(tr);
}
