import { setBlockType, toggleMark } from 'prosemirror-commands';
import type { Schema } from 'prosemirror-model';
import { Plugin, PluginKey, type Command, type EditorState } from 'prosemirror-state';
import {
  addColumnAfter,
  addColumnBefore,
  addRowAfter,
  addRowBefore,
  deleteColumn,
  deleteRow,
  deleteTable,
  isInTable,
  toggleHeaderRow,
} from 'prosemirror-tables';
import type { EditorView } from 'prosemirror-view';
import {
  clearFormatting,
  insertNode,
  isBlockActive,
  isInside,
  isMarkActive,
  LIST_TYPES,
  redo,
  toggleBlockquote,
  toggleBlockType,
  toggleLink,
  toggleList,
  undo,
} from './commands.js';
import { keyBindings } from './keymap.js';
import { isMac } from './platform.js';
import { insertTable } from './tables.js';

/** One toolbar button. */
export interface ToolbarItem {
  /** Stable identifier, also the button's `data-command` attribute ("bold", "heading-1"…). */
  id: string;
  /** Accessible name and tooltip. */
  label: string;
  /** Shortcut shown in the tooltip ("Mod-B"). */
  shortcut?: string;
  /** SVG markup (24×24 view box, stroked) or a short text such as "H1". */
  icon: string;
  run: Command;
  /** When the button shows as pressed. Omit for plain actions (undo). */
  isActive?: (state: EditorState) => boolean;
  /** When the button is there at all (the table controls, in a table). Omit for always. */
  isVisible?: (state: EditorState) => boolean;
  /** Items with the same group sit together, separated from the next group. */
  group: 'history' | 'block' | 'mark' | 'insert' | 'table';
}

/** The accessible names of the toolbar's groups. */
const GROUP_LABELS: Record<ToolbarItem['group'], string> = {
  history: 'History',
  block: 'Paragraph style',
  mark: 'Text style',
  insert: 'Lists and blocks',
  table: 'Table',
};

const svg = (paths: string) =>
  `<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${paths}</svg>`;

/** The icons of the default toolbar. */
export const ICONS = {
  undo: svg('<path d="M9 14 4 9l5-5"/><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11"/>'),
  redo: svg('<path d="m15 14 5-5-5-5"/><path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13"/>'),
  bold: svg('<path d="M7 5h6a3.5 3.5 0 0 1 0 7H7z"/><path d="M7 12h7a3.5 3.5 0 0 1 0 7H7z"/>'),
  italic: svg('<path d="M19 4h-9"/><path d="M14 20H5"/><path d="M15 4 9 20"/>'),
  strike: svg('<path d="M16 5H9.5a3.5 3.5 0 0 0-1.8 6.5"/><path d="M14 12a3.5 3.5 0 0 1 0 7H7"/><path d="M4 12h16"/>'),
  code: svg('<path d="m16 18 6-6-6-6"/><path d="m8 6-6 6 6 6"/>'),
  link: svg('<path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7"/><path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7"/>'),
  bulletList: svg('<path d="M9 6h11"/><path d="M9 12h11"/><path d="M9 18h11"/><circle cx="4.5" cy="6" r="1" fill="currentColor"/><circle cx="4.5" cy="12" r="1" fill="currentColor"/><circle cx="4.5" cy="18" r="1" fill="currentColor"/>'),
  orderedList: svg('<path d="M10 6h10"/><path d="M10 12h10"/><path d="M10 18h10"/><path d="M4 4.5h1v4"/><path d="M4 8.5h2"/><path d="M6 19.5H4c0-1.2 2-1.8 2-3a1 1 0 0 0-2-.4"/>'),
  blockquote: svg('<path d="M4 5v14"/><path d="M9 8h11"/><path d="M9 12h11"/><path d="M9 16h7"/>'),
  codeBlock: svg('<rect x="3" y="4" width="18" height="16" rx="2"/><path d="m10 10-2 2 2 2"/><path d="m14 10 2 2-2 2"/>'),
  horizontalRule: svg('<path d="M3 12h18"/><path d="M8 7h8" opacity=".45"/><path d="M8 17h8" opacity=".45"/>'),
  paragraph: svg('<path d="M13 4v16"/><path d="M17 4v16"/><path d="M19 4H9.5a4.5 4.5 0 0 0 0 9H13"/>'),
  image: svg('<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="1.8"/><path d="m21 16-5-5-9 9"/>'),
  underline: svg('<path d="M7 4v7a5 5 0 0 0 10 0V4"/><path d="M5 20h14"/>'),
  highlight: svg('<path d="m9 11-5 5v3h3l5-5"/><path d="m14 6 4 4"/><path d="m9 11 5-5 4 4-5 5z"/><path d="M14 20h6" opacity=".5"/>'),
  clearFormatting: svg('<path d="M4 7V5h11v2"/><path d="M9.5 5 7 19"/><path d="m15 14 5 5"/><path d="m20 14-5 5"/>'),
  taskList: svg('<rect x="3" y="4" width="6" height="6" rx="1"/><path d="m4.5 16 1.5 1.5L9 14.5"/><path d="M13 7h8"/><path d="M13 16h8"/>'),
  table: svg('<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M3 10h18"/><path d="M3 15h18"/><path d="M10 4v16"/>'),
  rowAbove: svg('<rect x="3" y="12" width="18" height="8" rx="1.5"/><path d="M12 3v6"/><path d="M9 6h6"/>'),
  rowBelow: svg('<rect x="3" y="4" width="18" height="8" rx="1.5"/><path d="M12 15v6"/><path d="M9 18h6"/>'),
  columnBefore: svg('<rect x="12" y="3" width="8" height="18" rx="1.5"/><path d="M3 12h6"/><path d="M6 9v6"/>'),
  columnAfter: svg('<rect x="4" y="3" width="8" height="18" rx="1.5"/><path d="M15 12h6"/><path d="M18 9v6"/>'),
  deleteRow: svg('<rect x="3" y="8" width="18" height="8" rx="1.5"/><path d="m10 10 4 4"/><path d="m14 10-4 4"/>'),
  deleteColumn: svg('<rect x="8" y="3" width="8" height="18" rx="1.5"/><path d="m10 10 4 4"/><path d="m14 10-4 4"/>'),
  headerRow: svg('<rect x="3" y="4" width="18" height="16" rx="2"/><path d="M3 9.5h18"/><path d="M3 5.5h18M3 7.5h18" opacity=".6"/>'),
  deleteTable: svg('<rect x="3" y="4" width="18" height="16" rx="2"/><path d="m9 9 6 6"/><path d="m15 9-6 6"/>'),
} as const;

/**
 * The default toolbar for the Tandem schema: history, block types, marks, lists and inserts, and
 * the table controls (shown while the cursor is in a table). Shortcuts in the tooltips come from
 * the keymap (`keyBindings`), by id.
 */
export function defaultToolbarItems(
  schema: Schema,
  options: { promptForLink?: (m: string, i: string) => string | null; pickImages?: (view: EditorView) => void } = {},
): ToolbarItem[] {
  const { nodes, marks } = schema;
  const keys = new Map(keyBindings(schema, options).flatMap((binding) => (binding.id ? [[binding.id, binding.keys[0]!] as const] : [])));
  const items: ToolbarItem[] = [
    { id: 'undo', label: 'Undo', shortcut: keys.get('undo'), icon: ICONS.undo, run: undo, group: 'history' },
    { id: 'redo', label: 'Redo', shortcut: keys.get('redo'), icon: ICONS.redo, run: redo, group: 'history' },
  ];
  if (nodes.paragraph) {
    const paragraph = nodes.paragraph;
    items.push({
      id: 'paragraph', label: 'Normal text', shortcut: keys.get('paragraph'), icon: ICONS.paragraph, group: 'block',
      run: setBlockType(paragraph), isActive: (state) => isBlockActive(state, paragraph),
    });
    if (nodes.heading) {
      for (const level of [1, 2, 3]) {
        const heading = nodes.heading;
        items.push({
          id: `heading-${level}`, label: `Heading ${level}`, shortcut: keys.get(`heading-${level}`), icon: `H${level}`, group: 'block',
          run: toggleBlockType(heading, paragraph, { level }),
          isActive: (state) => isBlockActive(state, heading, { level }),
        });
      }
    }
  }
  const markItem = (id: keyof typeof ICONS, name: string, label: string) => {
    const type = marks[name];
    if (type) items.push({ id, label, shortcut: keys.get(id), icon: ICONS[id], group: 'mark', run: toggleMark(type), isActive: (s) => isMarkActive(s, type) });
  };
  markItem('bold', 'bold', 'Bold');
  markItem('italic', 'italic', 'Italic');
  markItem('underline', 'underline', 'Underline');
  markItem('strike', 'strike', 'Strikethrough');
  markItem('highlight', 'highlight', 'Highlight');
  markItem('code', 'code', 'Inline code');
  if (marks.link) {
    const link = marks.link;
    items.push({
      id: 'link', label: 'Link', shortcut: keys.get('link'), icon: ICONS.link, group: 'mark',
      run: toggleLink(link, options.promptForLink), isActive: (s) => isMarkActive(s, link),
    });
  }
  items.push({ id: 'clear-formatting', label: 'Clear formatting', shortcut: keys.get('clear-formatting'), icon: ICONS.clearFormatting, group: 'mark', run: clearFormatting });
  if (nodes.bullet_list && nodes.list_item) {
    const list = nodes.bullet_list;
    items.push({
      id: 'bullet-list', label: 'Bulleted list', shortcut: keys.get('bullet-list'), icon: ICONS.bulletList, group: 'insert',
      run: toggleList(list, nodes.list_item), isActive: (s) => innermostList(s) === list.name,
    });
  }
  if (nodes.ordered_list && nodes.list_item) {
    const list = nodes.ordered_list;
    items.push({
      id: 'ordered-list', label: 'Numbered list', shortcut: keys.get('ordered-list'), icon: ICONS.orderedList, group: 'insert',
      run: toggleList(list, nodes.list_item), isActive: (s) => innermostList(s) === list.name,
    });
  }
  if (nodes.task_list && nodes.task_item) {
    const list = nodes.task_list;
    items.push({
      id: 'task-list', label: 'Checklist', shortcut: keys.get('task-list'), icon: ICONS.taskList, group: 'insert',
      run: toggleList(list, nodes.task_item), isActive: (s) => innermostList(s) === list.name,
    });
  }
  if (nodes.blockquote) {
    const quote = nodes.blockquote;
    items.push({
      id: 'blockquote', label: 'Quote', shortcut: keys.get('blockquote'), icon: ICONS.blockquote, group: 'insert',
      run: toggleBlockquote(quote), isActive: (s) => isInside(s, quote),
    });
  }
  if (nodes.code_block && nodes.paragraph) {
    const code = nodes.code_block;
    items.push({
      id: 'code-block', label: 'Code block', shortcut: keys.get('code-block'), icon: ICONS.codeBlock, group: 'insert',
      run: toggleBlockType(code, nodes.paragraph), isActive: (s) => isBlockActive(s, code),
    });
  }
  if (nodes.horizontal_rule) {
    items.push({ id: 'horizontal-rule', label: 'Divider', shortcut: keys.get('horizontal-rule'), icon: ICONS.horizontalRule, group: 'insert', run: insertNode(nodes.horizontal_rule) });
  }
  if (nodes.table) {
    items.push({ id: 'table', label: 'Insert table', icon: ICONS.table, group: 'insert', run: insertTable() });
    const tableItem = (id: string, label: string, icon: string, run: Command): ToolbarItem => ({ id, label, icon, run, group: 'table', isVisible: isInTable });
    items.push(
      tableItem('row-before', 'Insert row above', ICONS.rowAbove, addRowBefore),
      tableItem('row-after', 'Insert row below', ICONS.rowBelow, addRowAfter),
      tableItem('column-before', 'Insert column left', ICONS.columnBefore, addColumnBefore),
      tableItem('column-after', 'Insert column right', ICONS.columnAfter, addColumnAfter),
      tableItem('delete-row', 'Delete row', ICONS.deleteRow, deleteRow),
      tableItem('delete-column', 'Delete column', ICONS.deleteColumn, deleteColumn),
      { ...tableItem('header-row', 'Header row', ICONS.headerRow, toggleHeaderRow), isActive: firstRowIsHeader },
      tableItem('delete-table', 'Delete table', ICONS.deleteTable, deleteTable),
    );
  }
  if (nodes.image && options.pickImages) {
    const pick = options.pickImages;
    const image = nodes.image;
    items.push({
      id: 'image', label: 'Image', icon: ICONS.image, group: 'insert',
      run: (state, dispatch, view) => {
        const $from = state.selection.$from;
        if (!$from.parent.canReplaceWith($from.index(), $from.index(), image)) return false;
        if (dispatch && view) pick(view);
        return true;
      },
    });
  }
  return items;
}

function innermostList(state: EditorState): string | undefined {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const name = $from.node(depth).type.name;
    if (LIST_TYPES.includes(name)) return name;
  }
  return undefined;
}

/** True when the table at the selection starts with a row of header cells. */
function firstRowIsHeader(state: EditorState): boolean {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (node.type.spec.tableRole !== 'table') continue;
    const first = node.firstChild;
    return !!first && first.childCount > 0 && first.content.content.every((cell) => cell.type.spec.tableRole === 'header_cell');
  }
  return false;
}

/** "Mod-B" → "⌘B" on Apple platforms, "Ctrl+B" elsewhere. */
export function formatShortcut(shortcut: string, mac = isMac()): string {
  const parts = shortcut.split('-').filter(Boolean);
  const names = parts.map((part) => {
    if (part === 'Mod') return mac ? '⌘' : 'Ctrl';
    if (part === 'Ctrl') return mac ? '⌃' : 'Ctrl';
    if (part === 'Shift') return mac ? '⇧' : 'Shift';
    if (part === 'Alt') return mac ? '⌥' : 'Alt';
    return part.length === 1 ? part.toUpperCase() : part;
  });
  if (shortcut.endsWith('--') || shortcut === '-') names.push('-');
  return mac ? names.join('') : names.join('+');
}

/** Options for {@link toolbarPlugin}. */
export interface ToolbarOptions {
  /** Where the toolbar is rendered. */
  container: HTMLElement;
  /** The buttons; {@link defaultToolbarItems} when omitted. */
  items?: ToolbarItem[];
}

export const toolbarPluginKey = new PluginKey('tandemToolbar');

/**
 * A toolbar rendered into `container`: one button per item, in groups that wrap onto another row
 * when the width runs out (so that every button stays on screen), pressed (`aria-pressed="true"`)
 * when the item is active at the selection, disabled when its command cannot run. Buttons keep the
 * editor's focus and selection. Hidden while the editor is not editable (a read-only view has
 * nothing to format). Destroying the view removes the toolbar.
 */
export function toolbarPlugin(options: ToolbarOptions): Plugin {
  return new Plugin({
    key: toolbarPluginKey,
    view: (view) => new ToolbarView(view, options.container, options.items ?? defaultToolbarItems(view.state.schema)),
  });
}

class ToolbarView {
  private readonly root: HTMLElement;
  private readonly buttons: Array<{ item: ToolbarItem; button: HTMLButtonElement }> = [];

  constructor(
    private view: EditorView,
    container: HTMLElement,
    items: ToolbarItem[],
  ) {
    this.root = document.createElement('div');
    this.root.className = 'tandem-toolbar-buttons';
    this.root.setAttribute('role', 'toolbar');
    this.root.setAttribute('aria-label', 'Formatting');
    let group: HTMLElement | undefined;
    for (const item of items) {
      if (group?.dataset.group !== item.group) {
        group = document.createElement('div');
        group.className = 'tandem-toolbar-group';
        group.dataset.group = item.group;
        group.setAttribute('role', 'group');
        group.setAttribute('aria-label', GROUP_LABELS[item.group]);
        this.root.append(group);
      }
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'tandem-toolbar-button';
      button.dataset.command = item.id;
      const tip = item.shortcut ? `${item.label} (${formatShortcut(item.shortcut)})` : item.label;
      button.title = tip;
      button.setAttribute('aria-label', item.label);
      if (item.isActive) button.setAttribute('aria-pressed', 'false');
      if (item.icon.startsWith('<svg')) button.innerHTML = item.icon;
      else {
        button.textContent = item.icon;
        button.classList.add('tandem-toolbar-text');
      }
      this.buttons.push({ item, button });
      group.append(button);
    }
    this.root.addEventListener('mousedown', this.onMouseDown);
    this.root.addEventListener('click', this.onClick);
    this.root.addEventListener('keydown', this.onKeyDown);
    container.append(this.root);
    this.update(view);
  }

  /** Keep the editor's selection: a toolbar click must not blur the editor. */
  private onMouseDown = (event: MouseEvent) => {
    if ((event.target as Element).closest('button')) event.preventDefault();
  };

  private onClick = (event: MouseEvent) => {
    const button = (event.target as Element).closest('button');
    const entry = this.buttons.find((b) => b.button === button);
    if (!entry || entry.button.disabled) return;
    entry.item.run(this.view.state, this.view.dispatch, this.view);
    this.view.focus();
  };

  /** Arrow keys move between buttons (one tab stop for the whole toolbar). */
  private onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft' && event.key !== 'Home' && event.key !== 'End') return;
    const enabled = this.buttons.map((b) => b.button).filter((b) => !b.disabled);
    const index = enabled.indexOf(document.activeElement as HTMLButtonElement);
    if (index === -1) return;
    event.preventDefault();
    const next =
      event.key === 'Home' ? 0 : event.key === 'End' ? enabled.length - 1
      : (index + (event.key === 'ArrowRight' ? 1 : -1) + enabled.length) % enabled.length;
    this.setTabStop(enabled[next]!);
    enabled[next]!.focus();
  };

  private setTabStop(target: HTMLButtonElement) {
    for (const { button } of this.buttons) button.tabIndex = button === target ? 0 : -1;
  }

  update(view: EditorView) {
    this.view = view;
    const { state } = view;
    const editable = view.editable;
    if (this.root.hidden === editable) this.root.hidden = !editable;
    let tabStop: HTMLButtonElement | undefined;
    const visibleGroups = new Set<string>();
    for (const { item, button } of this.buttons) {
      const visible = item.isVisible?.(state) ?? true;
      if (button.hidden === visible) button.hidden = !visible;
      if (visible) visibleGroups.add(item.group);
      const active = item.isActive?.(state) ?? false;
      // A pressed button stays enabled even when pressing it again changes nothing.
      const enabled = visible && editable && (active || item.run(state, undefined, view));
      if (button.disabled === enabled) button.disabled = !enabled;
      if (item.isActive) {
        const pressed = String(active);
        if (button.getAttribute('aria-pressed') !== pressed) button.setAttribute('aria-pressed', pressed);
      }
      if (button.tabIndex === 0 && enabled) tabStop = button;
    }
    for (const group of this.root.querySelectorAll<HTMLElement>('.tandem-toolbar-group')) {
      const hidden = !visibleGroups.has(group.dataset.group!);
      if (group.hidden !== hidden) group.hidden = hidden;
    }
    const first = tabStop ?? this.buttons.find((b) => !b.button.disabled)?.button;
    if (first && first.tabIndex !== 0) this.setTabStop(first);
    else if (first) for (const { button } of this.buttons) if (button !== first && button.tabIndex !== -1) button.tabIndex = -1;
  }

  destroy() {
    this.root.removeEventListener('mousedown', this.onMouseDown);
    this.root.removeEventListener('click', this.onClick);
    this.root.removeEventListener('keydown', this.onKeyDown);
    this.root.remove();
  }
}
