import type { DOMOutputSpec, NodeSpec } from 'prosemirror-model';

/**
 * Task lists (checklists): a `task_list` holds `task_item`s, each with a `checked` attribute and,
 * like a list item, a paragraph first and then any blocks (task lists nest).
 *
 * Rendered as `<ul data-task-list><li data-task data-checked="true|false">` with a read-only
 * checkbox before the content; the editor swaps in a node view whose checkbox toggles the item.
 * Parsed from that, from GitHub's `ul.contains-task-list > li.task-list-item` (the checkbox input
 * says whether it is done) and from Google Docs' checklists (`li[role=checkbox][aria-checked]`).
 */

const TASK_ITEM_SELECTORS = ['li[data-task]', 'li.task-list-item', 'li[role="checkbox"]'];

/** True when `li` is an item of one of the checklist formats we read. */
function isTaskElement(element: Element): boolean {
  return element.tagName === 'LI' && TASK_ITEM_SELECTORS.some((selector) => element.matches(selector));
}

/** Whether a pasted or imported task element is ticked, whichever format it came in. */
function readChecked(element: HTMLElement): boolean {
  const data = element.getAttribute('data-checked');
  if (data !== null) return data === 'true';
  const aria = element.getAttribute('aria-checked');
  if (aria !== null) return aria === 'true';
  const box = element.querySelector(':scope > input[type="checkbox"], :scope > p > input[type="checkbox"], :scope > label > input[type="checkbox"]');
  return !!box && box.hasAttribute('checked');
}

/** A list is a task list when it has items and every one of them is a task. */
function isTaskListElement(element: HTMLElement): boolean {
  const items = [...element.children].filter((child) => child.tagName === 'LI');
  return items.length > 0 && items.every(isTaskElement);
}

export const taskNodeSpecs: Record<'task_list' | 'task_item', NodeSpec> = {
  task_list: {
    content: 'task_item+',
    group: 'block',
    parseDOM: [
      // Before the bullet list's `ul` rule.
      { tag: 'ul', priority: 60, getAttrs: (dom) => (isTaskListElement(dom as HTMLElement) ? null : false) },
    ],
    toDOM: (): DOMOutputSpec => ['ul', { 'data-task-list': '', class: 'tandem-task-list' }, 0],
  },

  task_item: {
    attrs: { checked: { default: false, validate: 'boolean' } },
    content: 'paragraph block*',
    defining: true,
    parseDOM: TASK_ITEM_SELECTORS.map((tag) => ({
      tag,
      // Only straight inside a task list; in an ordinary list these are ordinary items.
      context: 'task_list/',
      priority: 60,
      getAttrs: (dom) => ({ checked: readChecked(dom as HTMLElement) }),
      // Our own rendering keeps the content apart from the checkbox.
      contentElement: (dom) => (dom as HTMLElement).querySelector<HTMLElement>(':scope > .tandem-task-body') ?? (dom as HTMLElement),
    })),
    toDOM: (node): DOMOutputSpec => [
      'li',
      { 'data-task': '', 'data-checked': String(node.attrs.checked === true), class: 'tandem-task' },
      ['span', { class: 'tandem-task-check', contenteditable: 'false' }, ['input', node.attrs.checked ? { type: 'checkbox', checked: '', disabled: '' } : { type: 'checkbox', disabled: '' }]],
      ['div', { class: 'tandem-task-body' }, 0],
    ],
  },
};
