import { setBlockType, toggleMark } from 'prosemirror-commands';
import type { Schema } from 'prosemirror-model';
import { Plugin, PluginKey, type Command, type EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import {
  insertNode,
  isBlockActive,
  isInside,
  isMarkActive,
  redo,
  toggleBlockquote,
  toggleBlockType,
  toggleLink,
  toggleList,
  undo,
} from './commands.js';

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
  /** Items with the same group sit together, separated from the next group. */
  group: 'history' | 'block' | 'mark' | 'insert';
}

/** The accessible names of the toolbar's groups. */
const GROUP_LABELS: Record<ToolbarItem['group'], string> = {
  history: 'History',
  block: 'Paragraph style',
  mark: 'Text style',
  insert: 'Lists and blocks',
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
} as const;

/** The default toolbar for the Tandem schema: history, block types, marks, inserts. */
export function defaultToolbarItems(
  schema: Schema,
  options: { promptForLink?: (m: string, i: string) => string | null; pickImages?: (view: EditorView) => void } = {},
): ToolbarItem[] {
  const { nodes, marks } = schema;
  const items: ToolbarItem[] = [
    { id: 'undo', label: 'Undo', shortcut: 'Mod-Z', icon: ICONS.undo, run: undo, group: 'history' },
    { id: 'redo', label: 'Redo', shortcut: 'Shift-Mod-Z', icon: ICONS.redo, run: redo, group: 'history' },
  ];
  if (nodes.paragraph) {
    const paragraph = nodes.paragraph;
    items.push({
      id: 'paragraph', label: 'Normal text', shortcut: 'Shift-Ctrl-0', icon: ICONS.paragraph, group: 'block',
      run: setBlockType(paragraph), isActive: (state) => isBlockActive(state, paragraph),
    });
    if (nodes.heading) {
      for (const level of [1, 2, 3]) {
        const heading = nodes.heading;
        items.push({
          id: `heading-${level}`, label: `Heading ${level}`, shortcut: `Shift-Ctrl-${level}`, icon: `H${level}`, group: 'block',
          run: toggleBlockType(heading, paragraph, { level }),
          isActive: (state) => isBlockActive(state, heading, { level }),
        });
      }
    }
  }
  const markItem = (id: keyof typeof ICONS, name: string, label: string, shortcut: string) => {
    const type = marks[name];
    if (type) items.push({ id, label, shortcut, icon: ICONS[id], group: 'mark', run: toggleMark(type), isActive: (s) => isMarkActive(s, type) });
  };
  markItem('bold', 'bold', 'Bold', 'Mod-B');
  markItem('italic', 'italic', 'Italic', 'Mod-I');
  markItem('strike', 'strike', 'Strikethrough', 'Shift-Mod-S');
  markItem('code', 'code', 'Inline code', 'Mod-E');
  if (marks.link) {
    const link = marks.link;
    items.push({
      id: 'link', label: 'Link', shortcut: 'Mod-K', icon: ICONS.link, group: 'mark',
      run: toggleLink(link, options.promptForLink), isActive: (s) => isMarkActive(s, link),
    });
  }
  if (nodes.bullet_list && nodes.list_item) {
    const list = nodes.bullet_list;
    items.push({
      id: 'bullet-list', label: 'Bulleted list', shortcut: 'Shift-Ctrl-8', icon: ICONS.bulletList, group: 'insert',
      run: toggleList(list, nodes.list_item), isActive: (s) => innermostList(s) === list.name,
    });
  }
  if (nodes.ordered_list && nodes.list_item) {
    const list = nodes.ordered_list;
    items.push({
      id: 'ordered-list', label: 'Numbered list', shortcut: 'Shift-Ctrl-9', icon: ICONS.orderedList, group: 'insert',
      run: toggleList(list, nodes.list_item), isActive: (s) => innermostList(s) === list.name,
    });
  }
  if (nodes.blockquote) {
    const quote = nodes.blockquote;
    items.push({
      id: 'blockquote', label: 'Quote', shortcut: 'Ctrl->', icon: ICONS.blockquote, group: 'insert',
      run: toggleBlockquote(quote), isActive: (s) => isInside(s, quote),
    });
  }
  if (nodes.code_block && nodes.paragraph) {
    const code = nodes.code_block;
    items.push({
      id: 'code-block', label: 'Code block', shortcut: 'Shift-Ctrl-\\', icon: ICONS.codeBlock, group: 'insert',
      run: toggleBlockType(code, nodes.paragraph), isActive: (s) => isBlockActive(s, code),
    });
  }
  if (nodes.horizontal_rule) {
    items.push({ id: 'horizontal-rule', label: 'Divider', shortcut: 'Mod-_', icon: ICONS.horizontalRule, group: 'insert', run: insertNode(nodes.horizontal_rule) });
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
    if (name === 'bullet_list' || name === 'ordered_list') return name;
  }
  return undefined;
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

function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
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
    for (const { item, button } of this.buttons) {
      const active = item.isActive?.(state) ?? false;
      // A pressed button stays enabled even when pressing it again changes nothing.
      const enabled = editable && (active || item.run(state, undefined, view));
      if (button.disabled === enabled) button.disabled = !enabled;
      if (item.isActive) {
        const pressed = String(active);
        if (button.getAttribute('aria-pressed') !== pressed) button.setAttribute('aria-pressed', pressed);
      }
      if (button.tabIndex === 0 && enabled) tabStop = button;
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
