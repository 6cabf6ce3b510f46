// @vitest-environment jsdom
import { TextSelection } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { afterEach, describe, expect, it } from 'vitest';
import { schema } from '@tandem/document';
import { formatShortcut, toolbarPlugin } from './toolbar.js';
import { localView, setDoc, type } from './testing/view.js';

let view: EditorView | undefined;
afterEach(() => view?.destroy());

function withToolbar() {
  const container = document.createElement('div');
  const made = localView([toolbarPlugin({ container })]);
  view = made.view;
  const button = (id: string) => container.querySelector<HTMLButtonElement>(`[data-command="${id}"]`)!;
  const pressed = () => [...container.querySelectorAll('[aria-pressed="true"]')].map((b) => (b as HTMLElement).dataset.command);
  return { view: made.view, container, button, pressed };
}

const { nodes, marks } = schema;

describe('toolbar', () => {
  it('shows a button for every block type, mark, list and history action', () => {
    const { container } = withToolbar();
    const ids = [...container.querySelectorAll('button')].map((b) => b.dataset.command);
    expect(ids).toEqual([
      'undo', 'redo', 'paragraph', 'heading-1', 'heading-2', 'heading-3',
      'bold', 'italic', 'underline', 'strike', 'highlight', 'code', 'link', 'clear-formatting',
      'bullet-list', 'ordered-list', 'task-list', 'blockquote', 'code-block', 'horizontal-rule', 'table',
      'row-before', 'row-after', 'column-before', 'column-after', 'delete-row', 'delete-column', 'header-row', 'delete-table',
    ]);
    expect(container.querySelector('[role="toolbar"]')).not.toBeNull();
  });

  it('presses the marks under the cursor and the block it is in', () => {
    const t = withToolbar();
    setDoc(t.view, nodes.doc!.create(null, [nodes.heading!.create({ level: 2 }, [schema.text('plain '), schema.text('bold', [marks.bold!.create(), marks.italic!.create()])])]), 10);
    expect(t.pressed().sort()).toEqual(['bold', 'heading-2', 'italic']);
    t.view.dispatch(t.view.state.tr.setSelection(TextSelection.create(t.view.state.doc, 3)));
    expect(t.pressed()).toEqual(['heading-2']);
  });

  it('presses the innermost list type, and the quote around it', () => {
    const t = withToolbar();
    const item = (text: string, ...rest: ReturnType<typeof nodes.paragraph.create>[]) => nodes.list_item!.create(null, [nodes.paragraph!.create(null, schema.text(text)), ...rest]);
    const doc = nodes.doc!.create(null, [nodes.blockquote!.create(null, [nodes.bullet_list!.create(null, [item('outer', nodes.ordered_list!.create(null, [item('inner')]))])])]);
    setDoc(t.view, doc, doc.textContent.indexOf('inner') + 8);
    expect(t.view.state.selection.$from.parent.textContent).toBe('inner');
    expect(t.pressed().sort()).toEqual(['blockquote', 'ordered-list', 'paragraph']);
  });

  it('a click applies the command, keeps focus in the text and updates the pressed state', () => {
    const t = withToolbar();
    type(t.view, 'hello');
    t.view.dispatch(t.view.state.tr.setSelection(TextSelection.create(t.view.state.doc, 1, 6)));
    t.button('bold').click();
    expect(t.view.state.doc.rangeHasMark(1, 6, marks.bold!)).toBe(true);
    expect(t.button('bold').getAttribute('aria-pressed')).toBe('true');
    t.button('heading-1').click();
    expect(t.view.state.doc.firstChild!.type.name).toBe('heading');
    t.button('heading-1').click();
    expect(t.view.state.doc.firstChild!.type.name).toBe('paragraph');
  });

  it('disables undo until there is something to undo', () => {
    const t = withToolbar();
    expect(t.button('undo').disabled).toBe(true);
    type(t.view, 'x');
    t.view.dispatch(t.view.state.tr); // the undo stack fills after the Yjs transaction
    expect(t.button('undo').disabled).toBe(false);
  });

  it('puts the buttons in labelled groups, so that they wrap a group at a time', () => {
    const { container } = withToolbar();
    const groups = [...container.querySelectorAll('[role="group"]')].map((g) => [g.getAttribute('aria-label'), g.querySelectorAll('button').length]);
    expect(groups).toEqual([['History', 2], ['Paragraph style', 4], ['Text style', 8], ['Lists and blocks', 7], ['Table', 8]]);
  });

  it('shows the table controls only while the cursor is in a table, and they work', () => {
    const t = withToolbar();
    const tableGroup = t.container.querySelector<HTMLElement>('[data-group="table"]')!;
    expect(tableGroup.hidden).toBe(true);
    expect(t.button('row-after').disabled).toBe(true);
    t.button('table').click();
    expect(tableGroup.hidden).toBe(false);
    expect(t.button('header-row').getAttribute('aria-pressed')).toBe('true');
    t.button('row-after').click();
    t.button('column-after').click();
    let table = t.view.state.doc.firstChild!;
    expect([table.childCount, table.firstChild!.childCount]).toEqual([4, 4]);
    t.button('header-row').click();
    expect(t.view.state.doc.firstChild!.firstChild!.firstChild!.type.name).toBe('table_cell');
    t.button('delete-table').click();
    table = t.view.state.doc.firstChild!;
    expect(table.type.name).toBe('paragraph');
    expect(tableGroup.hidden).toBe(true);
  });

  it('takes its tooltips from the keymap', () => {
    const { button } = withToolbar();
    expect(button('underline').title).toMatch(/^Underline \((Ctrl\+U|⌘U)\)$/);
    expect(button('highlight').title).toMatch(/^Highlight \((Shift\+Ctrl\+H|⇧⌘H)\)$/);
  });

  it('is hidden while the editor is read-only, and back when it is editable', () => {
    const t = withToolbar();
    const toolbar = t.container.querySelector<HTMLElement>('[role="toolbar"]')!;
    expect(toolbar.hidden).toBe(false);
    t.view.setProps({ editable: () => false });
    expect(toolbar.hidden).toBe(true);
    t.view.setProps({ editable: () => true });
    expect(toolbar.hidden).toBe(false);
  });

  it('is removed with the view', () => {
    const t = withToolbar();
    t.view.destroy();
    view = undefined;
    expect(t.container.children.length).toBe(0);
  });

  it('writes shortcuts the platform way', () => {
    expect(formatShortcut('Mod-B', false)).toBe('Ctrl+B');
    expect(formatShortcut('Shift-Mod-Z', true)).toBe('⇧⌘Z');
  });
});
