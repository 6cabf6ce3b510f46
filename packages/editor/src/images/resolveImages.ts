/**
 * Images that come from outside — a pasted web page or office document, a dropped file, an
 * imported file — become Tandem's own before anyone else sees them: their bytes are checked
 * (PNG, JPEG, GIF or WebP, within the size limit), hashed and queued for upload, and the image's
 * `src` becomes the reference to that hash. Nothing is ever hot-linked.
 *
 * Embedded images (`data:` URLs, what office suites and Tandem's own exports carry) are handled at
 * once. An image on the web can only be fetched by the browser, later and only where the site
 * allows it (CORS) and the page's own security policy lets it connect: until then it stays in the
 * document with its web address, which no editor shows or loads (see imageView.ts), and it is
 * replaced or removed once the fetch is done.
 */
import { readImageInfo } from '@tandem/document';
import { fileIdOf, fileReference } from '@tandem/protocol';
import { digest } from 'lib0/hash/sha256';
import { Fragment, type Node, Slice } from 'prosemirror-model';
import type { UploadQueue } from './uploadQueue.js';

/** What became of the images of a piece of content. */
export interface ResolvedImages {
  /** Images whose bytes are now queued for upload. */
  uploaded: number;
  /** Web images left to fetch: their addresses. */
  remote: string[];
  /** Why images were left out, one line each. */
  dropped: string[];
}

export interface ResolveContext {
  queue: UploadQueue;
  maxBytes: number;
}

/** The hex SHA-256 of `bytes`: a file's id. */
export function fileIdFor(bytes: Uint8Array): string {
  return Array.from(digest(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Check `bytes` and queue them for upload; the file reference, or the reason they are refused.
 */
export function acceptImageBytes(bytes: Uint8Array, context: ResolveContext): { src: string } | { refused: string } {
  const info = readImageInfo(bytes);
  if (!info) return { refused: 'not a PNG, JPEG, GIF or WebP image' };
  if (bytes.byteLength > context.maxBytes) return { refused: `larger than ${Math.round(context.maxBytes / 1024 / 1024)} MB` };
  const id = fileIdFor(bytes);
  void context.queue.add(id, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: info.type }));
  return { src: fileReference(id) };
}

/** `data:image/…;base64,…` as bytes; undefined for anything else. */
function dataUrlBytes(src: string): Uint8Array | undefined {
  const match = /^data:image\/[a-z0-9.+-]+;base64,([a-z0-9+/=\s]*)$/i.exec(src);
  if (!match) return undefined;
  try {
    return Uint8Array.from(atob(match[1]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

const isWebAddress = (src: string) => /^https?:\/\//i.test(src);

/** Resolve the images of `fragment` (see the module comment); returns the new fragment and what happened. */
export function resolveFragmentImages(fragment: Fragment, context: ResolveContext): { fragment: Fragment; result: ResolvedImages } {
  const result: ResolvedImages = { uploaded: 0, remote: [], dropped: [] };
  const resolved = new Map<string, string | undefined>();
  const sourceFor = (src: string): string | undefined => {
    if (resolved.has(src)) return resolved.get(src);
    let next: string | undefined;
    if (fileIdOf(src)) {
      next = src;
    } else if (isWebAddress(src)) {
      next = src;
      result.remote.push(src);
    } else {
      const bytes = dataUrlBytes(src);
      const accepted = bytes ? acceptImageBytes(bytes, context) : { refused: 'not an image Tandem can take in' };
      if ('src' in accepted) {
        next = accepted.src;
        result.uploaded++;
      } else {
        result.dropped.push(accepted.refused);
      }
    }
    resolved.set(src, next);
    return next;
  };
  return { fragment: mapImages(fragment, sourceFor), result };
}

/** A slice with its images resolved. */
export function resolveSliceImages(slice: Slice, context: ResolveContext): { slice: Slice; result: ResolvedImages } {
  const { fragment, result } = resolveFragmentImages(slice.content, context);
  return { slice: new Slice(fragment, slice.openStart, slice.openEnd), result };
}

function mapImages(fragment: Fragment, sourceFor: (src: string) => string | undefined): Fragment {
  const children: Node[] = [];
  fragment.forEach((node) => {
    if (node.type.name === 'image') {
      const src = sourceFor(String(node.attrs.src));
      if (src !== undefined) children.push(src === node.attrs.src ? node : node.type.create({ ...node.attrs, src }, null, node.marks));
    } else {
      children.push(node.isLeaf ? node : node.copy(mapImages(node.content, sourceFor)));
    }
  });
  return Fragment.from(children);
}

/**
 * Fetch a web image (CORS, no cookies), check it and queue it; the file reference, or why not.
 * Fails where the site does not allow it or the page's Content-Security-Policy forbids connecting.
 */
export async function fetchRemoteImage(url: string, context: ResolveContext, timeoutMs = 15_000): Promise<{ src: string } | { refused: string }> {
  let bytes: Uint8Array;
  try {
    const response = await fetch(url, { mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer', signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { refused: `the site answered ${response.status}` };
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch {
    return { refused: 'the site does not let other pages download it' };
  }
  return acceptImageBytes(bytes, context);
}
