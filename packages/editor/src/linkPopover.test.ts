// @vitest-environment jsdom
import { schema } from '@tandem/document';
import { TextSelection } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { afterEach, describe, expect, it } from 'vitest';
import { keyboardShortcuts } from './shortcuts.js';
import { linkPopoverPlugin } from './linkPopover.js';
import { localView, setDoc } from './testing/view.js';

// jsdom lays nothing out; ProseMirror asks ranges for their boxes to place the popover.
Range.prototype.getClientRects ??= () => [] as unknown as DOMRectList;
Range.prototype.getBoundingClientRect ??= () => new DOMRect();

let view: EditorView | undefined;
afterEach(() => {
  view?.dom.parentElement?.remove();
  view?.destroy();
});

const { nodes, marks } = schema;

/** "Read the docs now" with "the docs" linked to `href`; the cursor at `pos`. */
function open(answers: Array<string | null> = [], href = 'https://docs.example/start') {
  const opened: string[] = [];
  const asked: string[] = [];
  const plugin = linkPopoverPlugin({
    openLink: (url) => opened.push(url),
    promptForLink: (message, initial) => {
      asked.push(`${message}|${initial}`);
      return answers.shift() ?? null;
    },
  });
  view = localView([plugin]).view;
  const link = marks.link!.create({ href });
  setDoc(view, nodes.doc!.create(null, [nodes.paragraph!.create(null, [schema.text('Read '), schema.text('the docs', [link]), schema.text(' now')])]));
  view.focus();
  const popover = view.dom.parentElement!.querySelector<HTMLElement>('.tandem-link-popover')!;
  const at = (pos: number) => view!.dispatch(view!.state.tr.setSelection(TextSelection.create(view!.state.doc, pos)));
  const action = (name: string) => popover.querySelector<HTMLElement>(`[data-action="${name}"]`)!.click();
  const hrefs = () => {
    const found: string[] = [];
    view!.state.doc.descendants((node) => void node.marks.forEach((mark) => mark.type === marks.link && found.push(mark.attrs.href as string)));
    return found;
  };
  return { view, popover, at, action, opened, asked, hrefs };
}

describe('link popover', () => {
  it('a click in the link shows it again even when the selection stays where it was (as after a prompt took the focus)', () => {
    const t = open();
    t.at(9);
    t.view.dom.dispatchEvent(new FocusEvent('blur'));
    expect(t.popover.hidden).toBe(true);
    t.view.dom.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(t.popover.hidden).toBe(false);
  });

  it('shows where the link goes while the cursor is in it, and hides outside it', () => {
    const t = open();
    t.at(2);
    expect(t.popover.hidden).toBe(true);
    t.at(9);
    expect(t.popover.hidden).toBe(false);
    expect(t.popover.querySelector('a')!.getAttribute('href')).toBe('https://docs.example/start');
    expect(t.popover.querySelector('a')!.getAttribute('rel')).toContain('noopener');
    expect(t.popover.querySelector('a')!.textContent).toBe('docs.example/start');
    t.at(16);
    expect(t.popover.hidden).toBe(true);
  });

  it('Open opens it in a new tab; Edit changes it (refusing javascript:); Remove keeps the text', () => {
    const t = open(['javascript:alert(1)', 'example.org/new']);
    t.at(9);
    t.action('open');
    expect(t.opened).toEqual(['https://docs.example/start']);
    t.action('edit');
    expect(t.asked[0]).toBe('Link to|https://docs.example/start');
    expect(t.asked[1]).toContain('"javascript:" links are not allowed');
    expect(t.hrefs()).toEqual(['https://example.org/new']);
    t.at(9);
    t.action('remove');
    expect(t.hrefs()).toEqual([]);
    expect(t.view.state.doc.textContent).toBe('Read the docs now');
  });

  it('Mod-click and Alt-Enter open the link; a stored javascript: link is never opened', () => {
    const t = open();
    const anchor = t.view.dom.querySelector('a')!;
    const click = (init: MouseEventInit) => {
      const event = new MouseEvent('click', { bubbles: true, cancelable: true, ...init });
      Object.defineProperty(event, 'target', { value: anchor });
      return t.view.someProp('handleClick', (f) => f(t.view, 9, event));
    };
    expect(click({})).toBeFalsy();
    expect(click({ ctrlKey: true })).toBe(true);
    t.at(9);
    t.view.dom.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', altKey: true, bubbles: true, cancelable: true }));
    expect(t.opened).toEqual(['https://docs.example/start', 'https://docs.example/start']);

    const bad = open([], 'javascript:alert(1)');
    bad.at(9);
    bad.view.dom.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', altKey: true, bubbles: true, cancelable: true }));
    bad.action('open');
    expect(bad.opened).toEqual([]);
  });

  it('is listed with the other shortcuts', () => {
    const keys = keyboardShortcuts().map((shortcut) => `${shortcut.keys[0]} ${shortcut.action}`);
    expect(keys).toEqual(expect.arrayContaining(['Mod-Click Open the link in a new tab', 'Mod-f Find in document', 'Mod-u Underline', 'Mod-\\ Clear formatting']));
  });
});
