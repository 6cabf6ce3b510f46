// @vitest-environment jsdom
import { schema } from '@tandem/document';
import { TextSelection } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { afterEach, describe, expect, it } from 'vitest';
import { toggleList } from './commands.js';
import { buildKeymap } from './keymap.js';
import { taskPlugin, toggleTaskChecked } from './tasks.js';
import { localView, type } from './testing/view.js';

let view: EditorView | undefined;
afterEach(() => view?.destroy());

function open() {
  view = localView([taskPlugin()]).view;
  return view;
}
const tasks = (v: EditorView) => {
  const found: Array<[string, boolean]> = [];
  v.state.doc.descendants((node) => {
    if (node.type.name === 'task_item') found.push([node.firstChild!.textContent, node.attrs.checked as boolean]);
  });
  return found;
};
const press = (v: EditorView, key: string) => buildKeymap(schema)[key]!(v.state, v.dispatch, v);

describe('task lists', () => {
  it('`[ ] ` and `[x] ` at the start of a block make a task, and Enter makes the next one unticked', () => {
    const v = open();
    type(v, '[x] Book the room');
    press(v, 'Enter');
    type(v, 'Send the invite');
    expect(v.state.doc.firstChild!.type.name).toBe('task_list');
    expect(tasks(v)).toEqual([['Book the room', true], ['Send the invite', false]]);
  });

  it('`- [ ] ` (Markdown) turns the new bullet into a task rather than nesting one in it', () => {
    const v = open();
    type(v, '- [ ] Markdown habit');
    expect(v.state.doc.firstChild!.type.name).toBe('task_list');
    expect(tasks(v)).toEqual([['Markdown habit', false]]);
  });

  it('`[ ]` in the middle of a line stays text', () => {
    const v = open();
    type(v, 'see [ ] here');
    expect(v.state.doc.firstChild!.type.name).toBe('paragraph');
  });

  it('the checkbox ticks the task; Mod-Enter ticks the one at the cursor', () => {
    const v = open();
    type(v, '[ ] Ship it');
    const box = v.dom.querySelector<HTMLInputElement>('.tandem-task-check input')!;
    expect(box.checked).toBe(false);
    box.click();
    expect(tasks(v)).toEqual([['Ship it', true]]);
    expect(v.dom.querySelector('li')!.dataset.checked).toBe('true');
    press(v, 'Mod-Enter');
    expect(tasks(v)).toEqual([['Ship it', false]]);
    expect(box.checked).toBe(false);
    // Outside a task Mod-Enter is a line break as before.
    v.dispatch(v.state.tr.insert(v.state.doc.content.size, schema.nodes.paragraph!.create(null, schema.text('x'))));
    v.dispatch(v.state.tr.setSelection(TextSelection.atEnd(v.state.doc)));
    expect(toggleTaskChecked(v.state)).toBe(false);
  });

  it('in a read-only view the checkbox is disabled, and a click changes nothing', () => {
    const v = open();
    type(v, '[ ] Look only');
    v.setProps({ editable: () => false });
    const box = v.dom.querySelector<HTMLInputElement>('.tandem-task-check input')!;
    expect(box.disabled).toBe(true);
    // Even if the browser let the change through, the document does not take it.
    box.disabled = false;
    box.click();
    expect(tasks(v)).toEqual([['Look only', false]]);
    expect(box.checked).toBe(false);
    v.setProps({ editable: () => true });
    expect(box.disabled).toBe(false);
  });

  it('the checklist button turns a bullet list into tasks and back, keeping the text', () => {
    const v = open();
    type(v, '- one');
    press(v, 'Enter');
    type(v, 'two');
    const { task_list: taskList, task_item: taskItem, bullet_list: bulletList, list_item: listItem } = schema.nodes;
    toggleList(taskList!, taskItem!)(v.state, v.dispatch);
    expect(tasks(v)).toEqual([['one', false], ['two', false]]);
    toggleList(bulletList!, listItem!)(v.state, v.dispatch);
    expect(v.state.doc.firstChild!.type.name).toBe('bullet_list');
    expect(v.state.doc.textContent).toBe('onetwo');
    type(v, '!');
    expect(v.state.doc.textContent).toBe('onetwo!');
  });

  it('Tab and Shift-Tab nest and un-nest tasks', () => {
    const v = open();
    type(v, '[ ] parent');
    press(v, 'Enter');
    type(v, 'child');
    press(v, 'Tab');
    const list = v.state.doc.firstChild!;
    expect(list.childCount).toBe(1);
    expect(list.firstChild!.child(1).type.name).toBe('task_list');
    press(v, 'Shift-Tab');
    expect(v.state.doc.firstChild!.childCount).toBe(2);
  });
});
