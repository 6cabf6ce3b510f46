import { InputRule } from 'prosemirror-inputrules';
import type { Node, Schema } from 'prosemirror-model';
import { Plugin, PluginKey, type Command } from 'prosemirror-state';
import { findWrapping } from 'prosemirror-transform';
import type { EditorView, NodeView, ViewMutationRecord } from 'prosemirror-view';
import { replaceList } from './commands.js';

/**
 * Task lists in the editor: a checkbox on every task item that anyone who may edit can tick (with
 * the mouse, or Mod-Enter at the cursor), disabled in a read-only view; `[ ] ` and `[x] ` typed at
 * the start of a block make a task.
 */

/** Tick or untick the task the cursor is in (Mod-Enter). */
export const toggleTaskChecked: Command = (state, dispatch) => {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (node.type.name !== 'task_item') continue;
    if (dispatch) dispatch(state.tr.setNodeMarkup($from.before(depth), undefined, { ...node.attrs, checked: !node.attrs.checked }));
    return true;
  }
  return false;
};

/**
 * `[ ] ` or `[x] ` at the start of a textblock → a task, unticked or ticked. Typed in the first
 * item of a one-item bullet list (`- [ ] `, as in Markdown), the bullet list becomes the task list.
 */
export function taskInputRule(schema: Schema): InputRule {
  const { task_list: taskList, task_item: taskItem, bullet_list: bulletList } = schema.nodes;
  return new InputRule(/^\[([ xX])\]\s$/, (state, match, start, end) => {
    if (!taskList || !taskItem) return null;
    const checked = match[1] !== ' ';
    const tr = state.tr.delete(start, end);
    const $start = tr.doc.resolve(start);
    const item = $start.depth >= 2 ? $start.node(-1) : undefined;
    const list = $start.depth >= 3 ? $start.node(-2) : undefined;
    if (list && list.type === bulletList && list.childCount === 1 && $start.index(-1) === 0 && item) {
      const listPos = $start.before(-2);
      return replaceList(tr, listPos, list, taskList, taskItem, { checked });
    }
    const range = $start.blockRange();
    const wrapping = range && findWrapping(range, taskList);
    if (!range || !wrapping) return null;
    return tr.wrap(range, wrapping.map((wrap) => (wrap.type === taskItem ? { type: taskItem, attrs: { checked } } : wrap)));
  });
}

/** A task item with its checkbox. The checkbox changes the document only while the view is editable. */
class TaskItemView implements NodeView {
  readonly dom: HTMLLIElement;
  readonly contentDOM: HTMLDivElement;
  private readonly checkbox: HTMLInputElement;

  constructor(
    private node: Node,
    private readonly view: EditorView,
    private readonly getPos: () => number | undefined,
  ) {
    this.dom = document.createElement('li');
    this.dom.className = 'tandem-task';
    this.dom.dataset.task = '';
    const check = document.createElement('span');
    check.className = 'tandem-task-check';
    check.contentEditable = 'false';
    this.checkbox = document.createElement('input');
    this.checkbox.type = 'checkbox';
    this.checkbox.setAttribute('aria-label', 'Done');
    this.checkbox.disabled = !view.editable;
    this.checkbox.addEventListener('change', this.onChange);
    check.append(this.checkbox);
    this.contentDOM = document.createElement('div');
    this.contentDOM.className = 'tandem-task-body';
    this.dom.append(check, this.contentDOM);
    this.render();
  }

  private render() {
    const checked = this.node.attrs.checked === true;
    this.dom.dataset.checked = String(checked);
    this.checkbox.checked = checked;
  }

  private onChange = () => {
    const pos = this.getPos();
    if (!this.view.editable || pos === undefined) {
      this.render();
      return;
    }
    this.view.dispatch(this.view.state.tr.setNodeMarkup(pos, undefined, { ...this.node.attrs, checked: this.checkbox.checked }));
  };

  update(node: Node): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.render();
    return true;
  }

  /** The checkbox handles its own clicks and keys; ProseMirror must not turn them into a selection. */
  stopEvent(event: Event): boolean {
    return event.target === this.checkbox;
  }

  /** Changes outside the content (the checkbox, this item's attributes) are ours, not text edits. */
  ignoreMutation(mutation: ViewMutationRecord): boolean {
    if (mutation.type === 'selection') return false;
    return !this.contentDOM.contains(mutation.target) || (mutation.target === this.contentDOM && mutation.type === 'attributes');
  }

  destroy() {
    this.checkbox.removeEventListener('change', this.onChange);
  }
}

export const taskPluginKey = new PluginKey('tandemTasks');

/** Task items drawn with a working checkbox, enabled exactly while the view is editable. */
export function taskPlugin(): Plugin {
  return new Plugin({
    key: taskPluginKey,
    props: {
      nodeViews: {
        task_item: (node, view, getPos) => new TaskItemView(node, view, getPos),
      },
    },
    view(view) {
      let editable = view.editable;
      return {
        update(next) {
          if (next.editable === editable) return;
          editable = next.editable;
          for (const box of next.dom.querySelectorAll<HTMLInputElement>('.tandem-task-check input')) box.disabled = !editable;
        },
      };
    },
  });
}
