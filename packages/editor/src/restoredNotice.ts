import { RESTORED_ATTRIBUTE } from '@tandem/protocol';
import type { Node as PMNode } from 'prosemirror-model';
import { Plugin, PluginKey, type EditorState, type Transaction } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { ySyncPluginKey } from 'y-prosemirror';

/** The banner's text: why some paragraphs are marked. */
export const RESTORED_NOTICE_TEXT = 'Words typed while someone deleted their paragraph were kept. They are marked below.';

/** How many restored paragraphs the document holds (plugin state). */
export const restoredNoticeKey = new PluginKey<number>('tandem-restored-notice');

/**
 * Tells people about paragraphs the sync server restored (see PROTOCOL.md, "Concurrent
 * deletions"): while the document holds any, a banner above the text says why they are marked.
 * Its Dismiss button removes the mark from every restored paragraph, for everyone; a read-only
 * viewer can only hide the banner, until more words are restored.
 */
export function restoredNoticePlugin(): Plugin<number> {
  return new Plugin<number>({
    key: restoredNoticeKey,
    state: {
      init: (_config, state) => countRestored(state.doc),
      apply(tr, count) {
        // Restored paragraphs arrive through the sync binding (the server's edit, or undoing a
        // dismissal); a local edit can only split or remove ones that are already there.
        if (!tr.docChanged || (count === 0 && tr.getMeta(ySyncPluginKey) === undefined)) return count;
        return countRestored(tr.doc);
      },
    },
    view: (view) => new RestoredNoticeView(view),
  });
}

class RestoredNoticeView {
  private readonly banner: HTMLElement;
  private readonly button: HTMLButtonElement;
  /** Count when a read-only viewer hid the banner: it shows again only if more arrive. */
  private hiddenAt = 0;

  constructor(private readonly view: EditorView) {
    const doc = view.dom.ownerDocument;
    this.banner = doc.createElement('div');
    this.banner.className = 'tandem-restored-notice';
    this.banner.setAttribute('role', 'status');
    const text = doc.createElement('span');
    text.textContent = RESTORED_NOTICE_TEXT;
    this.button = doc.createElement('button');
    this.button.type = 'button';
    this.button.className = 'tandem-restored-dismiss';
    this.button.addEventListener('click', this.dismiss);
    this.banner.append(text, this.button);
    view.dom.parentNode?.insertBefore(this.banner, view.dom);
    this.update(view);
  }

  update(view: EditorView): void {
    const count = restoredNoticeKey.getState(view.state) ?? 0;
    if (count < this.hiddenAt) this.hiddenAt = count;
    this.banner.hidden = count === 0 || count === this.hiddenAt;
    this.button.textContent = view.editable ? 'Dismiss' : 'Hide';
  }

  private readonly dismiss = (): void => {
    const { state } = this.view;
    if (!this.view.editable) {
      this.hiddenAt = restoredNoticeKey.getState(state) ?? 0;
      this.banner.hidden = true;
      return;
    }
    this.view.dispatch(clearRestored(state));
  };

  destroy(): void {
    this.button.removeEventListener('click', this.dismiss);
    this.banner.remove();
  }
}

/** A transaction removing the restored mark from every paragraph that has it. */
export function clearRestored(state: EditorState): Transaction {
  const tr = state.tr;
  state.doc.descendants((node, pos) => {
    if (node.attrs[RESTORED_ATTRIBUTE]) tr.setNodeAttribute(pos, RESTORED_ATTRIBUTE, null);
    return !node.isTextblock;
  });
  return tr;
}

function countRestored(doc: PMNode): number {
  let count = 0;
  doc.descendants((node) => {
    if (node.attrs[RESTORED_ATTRIBUTE]) count++;
    return !node.isTextblock; // blocks only: restored marks sit on paragraphs
  });
  return count;
}
