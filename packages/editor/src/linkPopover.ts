import { isSafeHref } from '@tandem/document';
import { Plugin, PluginKey } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { askForLink, linkAt, removeLinkAt, setLinkHref } from './commands.js';
import type { Shortcut } from './keymap.js';
import { hasModKey } from './platform.js';

/**
 * Links in the editor: Mod-click (or Alt-Enter at the cursor) opens a link in a new tab, and a small
 * popover under the link at the cursor shows where it goes, with Open, Edit and Remove.
 * Opening always uses `noopener,noreferrer` and only safe addresses (`isSafeHref`).
 */

/** How the link shortcuts read in the list of shortcuts (the same keys the handlers below read). */
export const LINK_SHORTCUTS: Shortcut[] = [
  { keys: ['Mod-Click'], action: 'Open the link in a new tab' },
  { keys: ['Alt-Enter'], action: 'Open the link at the cursor in a new tab' },
];

/** Options for {@link linkPopoverPlugin}. */
export interface LinkPopoverOptions {
  /** How Edit asks for the new address (default `window.prompt`). */
  promptForLink?: (message: string, initial: string) => string | null;
  /** How a link is opened (default `window.open` in a new tab, without opener or referrer). */
  openLink?: (href: string) => void;
}

export const linkPopoverKey = new PluginKey('tandemLinkPopover');

const defaultOpen = (href: string) => void window.open(href, '_blank', 'noopener,noreferrer');

/** Open `href` with `open` if it is a safe address; true when it did. */
function openSafely(href: string | undefined, open: (href: string) => void): boolean {
  if (!href || !isSafeHref(href)) return false;
  open(href);
  return true;
}

/** Mod-click and Alt-Enter open links; the popover follows the cursor into links. */
export function linkPopoverPlugin(options: LinkPopoverOptions = {}): Plugin {
  const open = options.openLink ?? defaultOpen;
  return new Plugin({
    key: linkPopoverKey,
    props: {
      handleClick(view, pos, event) {
        if (!hasModKey(event)) return false;
        const anchor = (event.target as Element | null)?.closest?.('a[href]');
        const href = anchor && view.dom.contains(anchor) ? anchor.getAttribute('href') ?? undefined : linkAt(view.state, pos)?.href;
        if (!openSafely(href, open)) return false;
        event.preventDefault();
        return true;
      },
      handleKeyDown(view, event) {
        if (event.key !== 'Enter' || !event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return false;
        return openSafely(linkAt(view.state, view.state.selection.from)?.href, open);
      },
    },
    view: (view) => new LinkPopover(view, options, open),
  });
}

class LinkPopover {
  private readonly root: HTMLElement;
  private readonly address: HTMLAnchorElement;
  private shownAt: number | undefined;

  constructor(
    private view: EditorView,
    private readonly options: LinkPopoverOptions,
    private readonly open: (href: string) => void,
  ) {
    this.root = document.createElement('div');
    this.root.className = 'tandem-link-popover';
    this.root.setAttribute('role', 'dialog');
    this.root.setAttribute('aria-label', 'Link');
    this.root.hidden = true;
    this.address = document.createElement('a');
    this.address.className = 'tandem-link-address';
    this.address.target = '_blank';
    this.address.rel = 'noopener noreferrer nofollow';
    const button = (action: string, label: string) => {
      const element = document.createElement('button');
      element.type = 'button';
      element.className = 'tandem-link-action';
      element.dataset.action = action;
      element.textContent = label;
      return element;
    };
    this.root.append(this.address, button('open', 'Open'), button('edit', 'Edit'), button('remove', 'Remove'));
    // Keep the editor's focus and selection when the popover is used with the mouse.
    this.root.addEventListener('mousedown', this.onMouseDown);
    this.root.addEventListener('click', this.onClick);
    this.root.addEventListener('keydown', this.onKeyDown);
    view.dom.addEventListener('blur', this.onBlur);
    view.dom.addEventListener('focus', this.onFocus);
    // A click that leaves the selection where it was dispatches nothing, so no update would show the
    // popover again (after Edit, say, or after the window lost focus to a prompt): look on every click.
    view.dom.addEventListener('click', this.onFocus);
    view.dom.parentNode?.append(this.root);
  }

  private onMouseDown = (event: MouseEvent) => {
    if ((event.target as Element).closest('button')) event.preventDefault();
  };

  private onClick = (event: MouseEvent) => {
    const target = (event.target as Element).closest<HTMLElement>('button, a');
    const pos = this.shownAt;
    if (!target || pos === undefined) return;
    const action = target.dataset.action ?? 'open';
    if (action === 'open') {
      event.preventDefault();
      openSafely(linkAt(this.view.state, pos)?.href, this.open);
      return;
    }
    if (action === 'edit') {
      const current = linkAt(this.view.state, pos)?.href ?? 'https://';
      const href = askForLink(this.options.promptForLink ?? ((message, initial) => window.prompt(message, initial)), current);
      if (href) setLinkHref(pos, href)(this.view.state, this.view.dispatch);
    } else if (action === 'remove') {
      removeLinkAt(pos)(this.view.state, this.view.dispatch);
    }
    this.view.focus();
    this.update(this.view);
  };

  /** Esc in the popover goes back to the text. */
  private onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.view.focus();
  };

  private onBlur = (event: FocusEvent) => {
    // Moving into the popover (by keyboard) keeps it open.
    if (event.relatedTarget instanceof Node && this.root.contains(event.relatedTarget)) return;
    this.hide();
  };

  private onFocus = () => this.update(this.view);

  private hide() {
    this.root.hidden = true;
    this.shownAt = undefined;
  }

  update(view: EditorView) {
    this.view = view;
    const { selection } = view.state;
    const link = view.editable && view.hasFocus() ? linkAt(view.state, selection.from) : undefined;
    // In the link, or right after its last character; a selection that runs out of it is about something else.
    const inLink = link && (selection.empty ? selection.from > link.from : selection.from >= link.from) && selection.to <= link.to;
    if (!link || !inLink) {
      this.hide();
      return;
    }
    this.shownAt = selection.from;
    this.address.href = isSafeHref(link.href) ? link.href : '#';
    this.address.textContent = link.href.replace(/^https?:\/\//, '').replace(/\/$/, '');
    this.address.title = link.href;
    this.root.hidden = false;
    this.place(link.from);
  }

  /** Under the start of the link, kept inside the editor's width. */
  private place(pos: number) {
    const parent = this.root.offsetParent ?? this.root.parentElement;
    if (!parent) return;
    const box = parent.getBoundingClientRect();
    const start = this.view.coordsAtPos(pos, 1);
    const width = this.root.offsetWidth;
    const left = Math.max(8, Math.min(start.left - box.left, box.width - width - 8));
    this.root.style.left = `${left}px`;
    this.root.style.top = `${start.bottom - box.top + 6}px`;
  }

  destroy() {
    this.root.removeEventListener('mousedown', this.onMouseDown);
    this.root.removeEventListener('click', this.onClick);
    this.root.removeEventListener('keydown', this.onKeyDown);
    this.view.dom.removeEventListener('blur', this.onBlur);
    this.view.dom.removeEventListener('focus', this.onFocus);
    this.view.dom.removeEventListener('click', this.onFocus);
    this.root.remove();
  }
}

