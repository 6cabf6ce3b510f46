/**
 * Images in the editor, put together: the image node's view, paste and drop of image files and of
 * content holding images, the upload queue that survives going offline, and the notice that says
 * what could not be added. The services are reachable from a view with {@link imageServices} (the
 * toolbar's "Image" button and imports use them).
 */
import { DEFAULT_MAX_FILE_BYTES } from '@tandem/protocol';
import type { Fragment, Slice } from 'prosemirror-model';
import { Plugin, PluginKey } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { FileClient } from './fileClient.js';
import { ImageNotice } from './imageNotice.js';
import { ImageUrls } from './imageUrls.js';
import { ImageView } from './imageView.js';
import { imageFiles, insertImageFiles, pickImageFiles } from './insertImages.js';
import { openPendingFiles } from './pendingFiles.js';
import { type ResolvedImages, fetchRemoteImage, resolveFragmentImages, resolveSliceImages } from './resolveImages.js';
import { UploadQueue } from './uploadQueue.js';

export interface ImagesOptions {
  /** HTTP(S) base of the file API (the sync server's, or an app's that passes requests on). */
  baseUrl: string;
  docName: string;
  /** Names the browser's store of waiting uploads (the sync server's URL). */
  storageKey: string;
  /** The token the connection uses now (undefined in open mode). */
  token: () => string | undefined;
  getToken?: () => Promise<string>;
  /** Keep waiting uploads in IndexedDB (true) or in memory only. */
  persistent: boolean;
  /** A read-only editor uploads nothing, not even what an earlier visit left waiting. */
  readOnly?: boolean;
  /** Largest image accepted before uploading (the server has the last word); default 10 MiB. */
  maxBytes?: number;
  /** How the Alt text button asks (default `window.prompt`). */
  promptForAlt?: (message: string, initial: string) => string | null;
  /** Subscribe to the sync connection coming back; returns the unsubscribe function. */
  onReconnect?: (listener: () => void) => () => void;
}

/** What the images plugin offers to the rest of the editor. */
export interface ImageServices {
  readonly queue: UploadQueue;
  /** Ask for image files and insert them at the selection. */
  pick(view: EditorView): void;
  /** Insert image files at `pos` or the selection. */
  insertFiles(view: EditorView, files: readonly File[], pos?: number): Promise<void>;
  /**
   * Make the images of `fragment` Tandem's own (uploads queued, references in place); web images
   * are fetched once the content is in the document (call {@link fetchRemote} then).
   */
  resolve(fragment: Fragment): { fragment: Fragment; result: ResolvedImages };
  /** Fetch web images now in the document and put references in their place (or remove them). */
  fetchRemote(view: EditorView, urls: readonly string[]): void;
  /** Tell the person something about images. */
  notify(lines: string[]): void;
}

export const imagesKey = new PluginKey<ImageServices>('tandem-images');

/** The image services of the editor showing `view`, if it has the images plugin. */
export function imageServices(view: EditorView): ImageServices | undefined {
  return imagesKey.getState(view.state);
}

export function imagesPlugin(options: ImagesOptions): Plugin<ImageServices> {
  const client = new FileClient({ baseUrl: options.baseUrl, docName: options.docName, token: options.token, getToken: options.getToken });
  const pending = openPendingFiles(options.storageKey, options.docName, options.persistent);
  const queue = new UploadQueue(client, pending, !options.readOnly);
  const urls = new ImageUrls(client, pending);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const promptForAlt = options.promptForAlt ?? ((message, initial) => window.prompt(message, initial));
  let notice: ImageNotice | undefined;
  const context = { queue, maxBytes, notify: (lines: string[]) => notice?.show(lines) };

  const services: ImageServices = {
    queue,
    pick: (view) => pickImageFiles(view, (files) => void services.insertFiles(view, files)),
    insertFiles: (view, files, pos) => insertImageFiles(view, files, context, pos),
    resolve: (fragment) => resolveFragmentImages(fragment, context),
    fetchRemote: (view, remote) => remote.forEach((url) => void fetchInto(view, url)),
    notify: context.notify,
  };

  /** Fetch one web image and swap it in wherever the document holds that address. */
  async function fetchInto(view: EditorView, url: string): Promise<void> {
    const fetched = await fetchRemoteImage(url, context);
    if (view.isDestroyed) return;
    const tr = view.state.tr;
    view.state.doc.descendants((node, pos) => {
      if (node.type.name !== 'image' || node.attrs.src !== url) return;
      const at = tr.mapping.map(pos);
      if ('src' in fetched) tr.setNodeMarkup(at, undefined, { ...node.attrs, src: fetched.src });
      else tr.delete(at, at + node.nodeSize);
    });
    if (tr.docChanged) view.dispatch(tr.setMeta('addToHistory', false));
    if ('refused' in fetched) context.notify([`An image from ${hostOf(url)} was left out: ${fetched.refused}.`]);
  }

  /** Dropped or pasted content: its images resolved, its web images fetched once it is in. */
  const transformIncoming = (slice: Slice, view: EditorView): Slice => {
    const { slice: resolved, result } = resolveSliceImages(slice, context);
    context.notify(result.dropped.map((why) => `An image was left out: ${why}.`));
    if (result.remote.length > 0) setTimeout(() => services.fetchRemote(view, result.remote), 0);
    return resolved;
  };

  return new Plugin<ImageServices>({
    key: imagesKey,
    state: { init: () => services, apply: (_tr, value) => value },
    props: {
      nodeViews: {
        image: (node, view, getPos) => new ImageView(node, view, getPos, { urls, queue, editable: () => view.editable, promptForAlt }),
      },
      transformPasted: transformIncoming,
      handlePaste(view, event, slice) {
        // A picture on the clipboard (a screenshot, "Copy image") and no text to go with it: take
        // the file itself. Office suites put a picture of the whole selection beside its text:
        // there the text (and its own images) win.
        const files = imageFiles(event.clipboardData?.files);
        if (files.length === 0 || slice.content.textBetween(0, slice.content.size, ' ').trim() !== '') return false;
        void services.insertFiles(view, files);
        return true;
      },
      handleDrop(view, event, _slice, moved) {
        const files = imageFiles((event as DragEvent).dataTransfer?.files);
        if (moved || files.length === 0) return false;
        const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
        void services.insertFiles(view, files, at?.pos);
        return true;
      },
    },
    view(view) {
      notice = new ImageNotice(view.dom.ownerDocument);
      view.dom.parentNode?.insertBefore(notice.element, view.dom);
      // Back online, the sync connection comes back first: then the uploads go on at once.
      const stopReconnect = options.onReconnect?.(() => queue.resume());
      return {
        destroy() {
          stopReconnect?.();
          notice?.destroy();
          queue.destroy();
          urls.destroy();
        },
      };
    },
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'another site';
  }
}
