/**
 * How an image shows in the editor: the picture (from this browser's waiting copy or the sync
 * server, see imageUrls.ts), a bar while it uploads, what went wrong if it failed, and — where the
 * document can be changed — a handle to resize it by dragging and a button to edit its alt text.
 * An image whose `src` is not a file reference (a web image still being fetched) is never loaded.
 */
import { fileIdOf } from '@tandem/protocol';
import type { Node } from 'prosemirror-model';
import type { EditorView, NodeView } from 'prosemirror-view';
import type { FileRequestError } from './fileClient.js';
import type { ImageUrls } from './imageUrls.js';
import type { UploadQueue, UploadState } from './uploadQueue.js';

export interface ImageViewServices {
  urls: ImageUrls;
  queue: UploadQueue;
  editable: () => boolean;
  /** Asks for alt text; null when cancelled. */
  promptForAlt: (message: string, initial: string) => string | null;
}

/** Narrowest an image may be dragged to, in CSS pixels. */
const MIN_WIDTH = 24;
/** How long to wait before looking again for an image someone else is still uploading. */
const MISSING_RETRY_MS = [1000, 2000, 4000, 8000, 15_000];

export class ImageView implements NodeView {
  readonly dom: HTMLElement;
  private readonly img: HTMLImageElement;
  private readonly status: HTMLElement;
  private readonly actions: HTMLElement;
  private stopWatching: (() => void) | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private missingAttempts = 0;
  private destroyed = false;

  constructor(
    private node: Node,
    private readonly view: EditorView,
    private readonly getPos: () => number | undefined,
    private readonly services: ImageViewServices,
  ) {
    const doc = view.dom.ownerDocument;
    this.dom = doc.createElement('span');
    this.dom.className = 'tandem-image';
    this.dom.contentEditable = 'false';
    this.img = doc.createElement('img');
    this.img.draggable = false;
    this.status = doc.createElement('span');
    this.status.className = 'tandem-image-status';
    this.status.setAttribute('role', 'status');
    this.actions = doc.createElement('span');
    this.actions.className = 'tandem-image-actions';
    this.dom.append(this.img, this.status, this.actions);
    if (services.editable()) {
      const alt = this.button('Alt text', 'tandem-image-alt', () => this.editAlt());
      alt.title = 'Describe this image for people who cannot see it';
      const handle = doc.createElement('span');
      handle.className = 'tandem-image-handle';
      handle.setAttribute('aria-hidden', 'true');
      handle.addEventListener('pointerdown', this.startResize);
      this.dom.append(alt, handle);
    }
    this.render();
    this.load();
  }

  update(node: Node): boolean {
    if (node.type !== this.node.type) return false;
    const sourceChanged = node.attrs.src !== this.node.attrs.src;
    this.node = node;
    this.render();
    if (sourceChanged) this.load();
    return true;
  }

  selectNode(): void {
    this.dom.classList.add('ProseMirror-selectednode');
  }

  deselectNode(): void {
    this.dom.classList.remove('ProseMirror-selectednode');
  }

  /** Clicks on the controls are the view's own, not ProseMirror's. */
  stopEvent(event: Event): boolean {
    const target = event.target as HTMLElement | null;
    return !!target?.closest('button, .tandem-image-handle');
  }

  ignoreMutation(): boolean {
    return true;
  }

  destroy(): void {
    this.destroyed = true;
    this.stopWatching?.();
    clearTimeout(this.retryTimer);
  }

  private get id(): string | undefined {
    return fileIdOf(this.node.attrs.src);
  }

  private render(): void {
    const { alt, title, width } = this.node.attrs as { alt: string | null; title: string | null; width: number | null };
    this.img.alt = alt ?? '';
    if (title) this.img.title = title;
    else this.img.removeAttribute('title');
    this.img.style.width = typeof width === 'number' ? `${width}px` : '';
  }

  private load(): void {
    this.stopWatching?.();
    clearTimeout(this.retryTimer);
    this.missingAttempts = 0;
    const id = this.id;
    if (!id) return this.show('remote', 'Image from another site: waiting to be copied into Tandem');
    this.stopWatching = this.services.queue.watch(id, (state) => this.showUpload(state));
    const state = this.services.queue.state(id);
    if (state) this.showUpload(state);
    else this.show('loading', 'Loading image…');
    this.fetch(id);
  }

  private fetch(id: string): void {
    this.services.urls.url(id).then(
      (url) => {
        if (this.destroyed || this.id !== id) return;
        this.img.src = url;
        if (!this.services.queue.state(id) || this.services.queue.state(id)?.phase === 'done') this.show('ready', '');
      },
      (error: FileRequestError) => {
        if (this.destroyed || this.id !== id) return;
        if (error.status === 401 || error.status === 403) return this.show('missing', 'This image cannot be shown: no access.');
        // Someone else's upload that has not arrived yet, or no connection: look again later.
        this.show('missing', error.status === 404 ? 'Waiting for this image to be uploaded…' : 'The image could not be loaded; retrying…');
        const delay = MISSING_RETRY_MS[Math.min(this.missingAttempts++, MISSING_RETRY_MS.length - 1)];
        this.retryTimer = setTimeout(() => this.fetch(id), delay);
      },
    );
  }

  private showUpload(state: UploadState): void {
    this.actions.replaceChildren();
    switch (state.phase) {
      case 'waiting':
        return this.show('uploading', 'Waiting to upload…', 0);
      case 'uploading':
        return this.show('uploading', `Uploading… ${Math.round(state.progress * 100)}%`, state.progress);
      case 'failed': {
        this.show('failed', `Upload failed: ${state.message}`);
        if (!this.services.editable()) return;
        this.actions.append(
          this.button('Retry', 'tandem-image-retry', () => this.services.queue.retry(this.id!)),
          this.button('Remove', 'tandem-image-remove', () => this.remove()),
        );
        return;
      }
      case 'done':
        return this.show(this.img.src ? 'ready' : 'loading', this.img.src ? '' : 'Loading image…');
    }
  }

  private show(phase: string, text: string, progress?: number): void {
    this.dom.dataset.phase = phase;
    this.status.textContent = text;
    this.status.hidden = text === '';
    if (progress === undefined) this.dom.style.removeProperty('--tandem-upload-progress');
    else this.dom.style.setProperty('--tandem-upload-progress', String(progress));
  }

  private button(label: string, className: string, run: () => void): HTMLButtonElement {
    const button = this.view.dom.ownerDocument.createElement('button');
    button.type = 'button';
    button.className = className;
    button.textContent = label;
    button.addEventListener('mousedown', (event) => event.preventDefault()); // keep the editor's selection
    button.addEventListener('click', (event) => {
      event.preventDefault();
      run();
    });
    return button;
  }

  private setAttrs(attrs: Record<string, unknown>): void {
    const pos = this.getPos();
    if (pos === undefined || !this.services.editable()) return;
    this.view.dispatch(this.view.state.tr.setNodeMarkup(pos, undefined, { ...this.node.attrs, ...attrs }));
  }

  private editAlt(): void {
    const answer = this.services.promptForAlt('Describe this image for people who cannot see it:', (this.node.attrs.alt as string | null) ?? '');
    if (answer !== null) this.setAttrs({ alt: answer.trim() || null });
  }

  private remove(): void {
    const pos = this.getPos();
    const id = this.id;
    if (pos === undefined) return;
    this.view.dispatch(this.view.state.tr.delete(pos, pos + this.node.nodeSize));
    if (id) void this.services.queue.discard(id);
  }

  private readonly startResize = (event: PointerEvent): void => {
    if (!this.services.editable()) return;
    event.preventDefault();
    const handle = event.currentTarget as HTMLElement;
    handle.setPointerCapture(event.pointerId);
    const startX = event.clientX;
    const startWidth = this.img.getBoundingClientRect().width;
    const maxWidth = Math.max(MIN_WIDTH, this.view.dom.clientWidth);
    let width = startWidth;
    this.dom.classList.add('tandem-image-resizing');
    const move = (moved: PointerEvent) => {
      width = Math.round(Math.min(maxWidth, Math.max(MIN_WIDTH, startWidth + moved.clientX - startX)));
      this.img.style.width = `${width}px`;
    };
    const end = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', end);
      handle.removeEventListener('pointercancel', end);
      this.dom.classList.remove('tandem-image-resizing');
      if (Math.round(width) !== Math.round(startWidth)) this.setAttrs({ width });
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', end);
    handle.addEventListener('pointercancel', end);
  };
}
