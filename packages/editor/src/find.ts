import type { Node } from 'prosemirror-model';
import { Plugin, PluginKey, TextSelection, type Command, type EditorState, type Transaction } from 'prosemirror-state';
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view';
import type { Shortcut } from './keymap.js';
import { hasModKey } from './platform.js';

/**
 * Find in document: Mod-F in the editor opens Tandem's find bar (the browser's own find stays for
 * the rest of the page, and for a read-only view, which takes no keys). Matches are found
 * ignoring case, counted ("3 of 12"), highlighted with decorations, and walked with Enter and
 * Shift-Enter (or the arrow buttons); Esc closes the bar and leaves the current match selected.
 */

/** A match: a range of the document. */
export interface FindMatch {
  from: number;
  to: number;
}

interface FindState {
  open: boolean;
  query: string;
  matches: FindMatch[];
  /** Index in `matches` of the current match, -1 when there is none. */
  current: number;
}

type FindAction = { type: 'open' } | { type: 'close' } | { type: 'query'; query: string; from: number } | { type: 'current'; index: number };

export const findPluginKey = new PluginKey<FindState>('tandemFind');

/** The shortcuts of the find bar (shown in the list of shortcuts; the same keys its handlers read). */
export const FIND_SHORTCUTS: Shortcut[] = [
  { keys: ['Mod-f'], action: 'Find in document' },
  { keys: ['Enter'], action: 'In the find bar: next match' },
  { keys: ['Shift-Enter'], action: 'In the find bar: previous match' },
  { keys: ['Escape'], action: 'In the find bar: close it' },
];

/** Every case-insensitive occurrence of `query` in the text of `doc` (a match never spans two blocks). */
export function findMatches(doc: Node, query: string): FindMatch[] {
  if (!query) return [];
  const pattern = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
  const matches: FindMatch[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    // One character per inline position: text as it is, any other inline node as a placeholder.
    let text = '';
    node.forEach((child) => {
      text += child.isText ? child.text! : '\ufffc'.repeat(child.nodeSize);
    });
    for (const found of text.matchAll(pattern)) {
      if (found[0].length === 0) continue;
      matches.push({ from: pos + 1 + found.index, to: pos + 1 + found.index + found[0].length });
    }
    return false;
  });
  return matches;
}

/** The first match that ends after `pos` (wrapping to the first one), -1 when there are none. */
function matchFrom(matches: FindMatch[], pos: number): number {
  if (matches.length === 0) return -1;
  const index = matches.findIndex((match) => match.to > pos);
  return index === -1 ? 0 : index;
}

/** The state of the find bar in `state`. */
export function findState(state: EditorState): FindState | undefined {
  return findPluginKey.getState(state);
}

/** Open the find bar. */
export const openFind: Command = (state, dispatch) => {
  if (dispatch) dispatch(state.tr.setMeta(findPluginKey, { type: 'open' } satisfies FindAction));
  return true;
};

/** Close the find bar (its highlights go with it). */
export const closeFind: Command = (state, dispatch) => {
  if (!findState(state)?.open) return false;
  if (dispatch) dispatch(state.tr.setMeta(findPluginKey, { type: 'close' } satisfies FindAction));
  return true;
};

/** Search for `query` from the selection on, selecting the first match. */
export function setFindQuery(query: string): Command {
  return (state, dispatch) => {
    if (dispatch) {
      const tr = state.tr.setMeta(findPluginKey, { type: 'query', query, from: state.selection.from } satisfies FindAction);
      const matches = findMatches(state.doc, query);
      const index = matchFrom(matches, state.selection.from);
      dispatch(index === -1 ? tr : select(tr, matches[index]!));
    }
    return true;
  };
}

/** Go to the next (`1`) or previous (`-1`) match, wrapping around, and select it. */
export function moveToMatch(direction: 1 | -1): Command {
  return (state, dispatch) => {
    const find = findState(state);
    if (!find?.open || find.matches.length === 0) return false;
    const count = find.matches.length;
    const index = find.current === -1 ? 0 : (find.current + direction + count) % count;
    if (dispatch) dispatch(select(state.tr.setMeta(findPluginKey, { type: 'current', index } satisfies FindAction), find.matches[index]!));
    return true;
  };
}

function select(tr: Transaction, match: FindMatch): Transaction {
  return tr.setSelection(TextSelection.create(tr.doc, match.from, match.to)).scrollIntoView();
}

const CLOSED: FindState = { open: false, query: '', matches: [], current: -1 };

function apply(tr: Transaction, state: FindState): FindState {
  const action = tr.getMeta(findPluginKey) as FindAction | undefined;
  if (action?.type === 'open') return { ...state, open: true };
  if (action?.type === 'close') return CLOSED;
  if (action?.type === 'query') {
    const matches = findMatches(tr.doc, action.query);
    return { open: true, query: action.query, matches, current: matchFrom(matches, action.from) };
  }
  if (action?.type === 'current') return { ...state, current: action.index };
  if (!state.open || !state.query || !tr.docChanged) return state;
  // Someone typed (here or elsewhere): find again, keeping the current match where it moved to.
  const matches = findMatches(tr.doc, state.query);
  const was = state.matches[state.current];
  return { ...state, matches, current: was ? matchFrom(matches, tr.mapping.map(was.from)) : matchFrom(matches, 0) };
}

/** Options for {@link findPlugin}. */
export interface FindOptions {
  /** Where the find bar is put (appended); by default just before the text. */
  container?: HTMLElement;
}

/** The find bar and its highlights. */
export function findPlugin(options: FindOptions = {}): Plugin<FindState> {
  return new Plugin<FindState>({
    key: findPluginKey,
    state: { init: () => CLOSED, apply },
    props: {
      decorations(state) {
        const find = findPluginKey.getState(state);
        if (!find?.open || find.matches.length === 0) return null;
        return DecorationSet.create(
          state.doc,
          find.matches.map((match, i) => Decoration.inline(match.from, match.to, { class: i === find.current ? 'tandem-find-match tandem-find-current' : 'tandem-find-match' })),
        );
      },
      handleKeyDown(view, event) {
        if (event.key.toLowerCase() !== 'f' || event.altKey || event.shiftKey || !hasModKey(event)) return false;
        const { from, to } = view.state.selection;
        const selected = view.state.doc.textBetween(from, to, ' ');
        openFind(view.state, view.dispatch);
        if (selected && !selected.includes('\n') && selected.length <= 200) setFindQuery(selected)(view.state, view.dispatch);
        bars.get(view)?.focusInput();
        return true;
      },
    },
    view(view) {
      const bar = new FindBar(view, options.container);
      bars.set(view, bar);
      return {
        update: (next) => bar.update(next),
        destroy: () => {
          bars.delete(view);
          bar.destroy();
        },
      };
    },
  });
}

const bars = new WeakMap<EditorView, FindBar>();

class FindBar {
  private readonly root: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly count: HTMLElement;
  private readonly buttons: HTMLButtonElement[];

  constructor(
    private view: EditorView,
    container?: HTMLElement,
  ) {
    this.root = document.createElement('div');
    this.root.className = 'tandem-find';
    this.root.setAttribute('role', 'search');
    this.root.hidden = true;
    this.input = document.createElement('input');
    this.input.type = 'text';
    this.input.className = 'tandem-find-input';
    this.input.placeholder = 'Find in document';
    this.input.setAttribute('aria-label', 'Find in document');
    this.input.spellcheck = false;
    this.count = document.createElement('span');
    this.count.className = 'tandem-find-count';
    this.count.setAttribute('aria-live', 'polite');
    const button = (label: string, text: string, run: () => void) => {
      const element = document.createElement('button');
      element.type = 'button';
      element.className = 'tandem-find-button';
      element.setAttribute('aria-label', label);
      element.title = label;
      element.textContent = text;
      element.addEventListener('click', run);
      return element;
    };
    this.buttons = [
      button('Previous match (Shift+Enter)', '↑', () => moveToMatch(-1)(this.view.state, this.view.dispatch)),
      button('Next match (Enter)', '↓', () => moveToMatch(1)(this.view.state, this.view.dispatch)),
      button('Close (Esc)', '×', () => this.close()),
    ];
    this.root.append(this.input, this.count, ...this.buttons);
    this.input.addEventListener('input', this.onInput);
    this.input.addEventListener('keydown', this.onKeyDown);
    if (container) container.append(this.root);
    else view.dom.parentNode?.insertBefore(this.root, view.dom);
  }

  focusInput() {
    this.root.hidden = false;
    this.input.focus();
    this.input.select();
  }

  private onInput = () => setFindQuery(this.input.value)(this.view.state, this.view.dispatch);

  private onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter') moveToMatch(event.shiftKey ? -1 : 1)(this.view.state, this.view.dispatch);
    else if (event.key === 'Escape') this.close();
    else if (event.key.toLowerCase() === 'f' && hasModKey(event)) this.input.select();
    else return;
    event.preventDefault();
  };

  private close() {
    closeFind(this.view.state, this.view.dispatch);
    this.view.focus();
  }

  update(view: EditorView) {
    this.view = view;
    const find = findPluginKey.getState(view.state) ?? CLOSED;
    if (this.root.hidden === find.open) this.root.hidden = !find.open;
    if (!find.open) return;
    if (this.input.value !== find.query && document.activeElement !== this.input) this.input.value = find.query;
    const text = !find.query ? '' : find.matches.length === 0 ? 'No results' : `${find.current + 1} of ${find.matches.length}`;
    if (this.count.textContent !== text) this.count.textContent = text;
    for (const button of this.buttons.slice(0, 2)) button.disabled = find.matches.length === 0;
  }

  destroy() {
    this.input.removeEventListener('input', this.onInput);
    this.input.removeEventListener('keydown', this.onKeyDown);
    this.root.remove();
  }
}

