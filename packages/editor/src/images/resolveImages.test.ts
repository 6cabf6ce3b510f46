// @vitest-environment jsdom
import { fileIdOf } from '@tandem/protocol';
import { schema } from '@tandem/document';
import { Fragment } from 'prosemirror-model';
import { afterEach, describe, expect, it } from 'vitest';
import { FileClient } from './fileClient.js';
import { openPendingFiles } from './pendingFiles.js';
import { fileIdFor, resolveFragmentImages } from './resolveImages.js';
import { UploadQueue } from './uploadQueue.js';

// A 1×1 GIF, and an SVG dressed as an image.
const GIF_BASE64 = 'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==';
const GIF = Uint8Array.from(atob(GIF_BASE64), (c) => c.charCodeAt(0));
const SVG_DATA_URL = `data:image/svg+xml;base64,${btoa('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')}`;

let queue: UploadQueue | undefined;
afterEach(() => queue?.destroy());

/** A queue whose uploads go nowhere (nothing listens on port 9): they wait and retry. */
function waitingQueue() {
  const pending = openPendingFiles('ws://127.0.0.1:9', 'doc', false);
  queue = new UploadQueue(new FileClient({ baseUrl: 'http://127.0.0.1:9', docName: 'doc', token: () => undefined }), pending, false);
  return { queue, pending };
}

const paragraphWithImages = (...srcs: string[]) =>
  Fragment.from(schema.node('paragraph', null, [schema.text('see '), ...srcs.map((src) => schema.node('image', { src, alt: src.slice(0, 10) }))]));

describe('images that come from outside', () => {
  it('an embedded image becomes a reference to its hash, and its bytes wait for upload', async () => {
    const { queue, pending } = waitingQueue();
    const { fragment, result } = resolveFragmentImages(paragraphWithImages(`data:image/gif;base64,${GIF_BASE64}`), { queue, maxBytes: 1024 });
    const id = fileIdFor(GIF);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(fragment.firstChild!.child(1).attrs.src).toBe(`tandem-file:${id}`);
    expect(result).toEqual({ uploaded: 1, remote: [], dropped: [] });
    await expect.poll(() => pending.ids()).toEqual([id]);
    const kept = (await pending.get(id))!;
    const bytes = await new Promise<ArrayBuffer>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.readAsArrayBuffer(kept);
    });
    expect([new Uint8Array(bytes), kept.type]).toEqual([GIF, 'image/gif']);
  });

  it('an SVG, an image over the limit, a relative or javascript: source are left out, with the reason', () => {
    const { queue } = waitingQueue();
    const { fragment, result } = resolveFragmentImages(
      paragraphWithImages(SVG_DATA_URL, `data:image/gif;base64,${GIF_BASE64}`, 'pixel.png', 'javascript:alert(1)'),
      { queue, maxBytes: 10 },
    );
    expect(fragment.firstChild!.childCount).toBe(1); // only the text is left
    expect(result.dropped).toEqual(['not a PNG, JPEG, GIF or WebP image', 'larger than 0 MB', 'not an image Tandem can take in', 'not an image Tandem can take in']);
  });

  it('a web image stays, to be fetched once the content is in; a file reference stays as it is', () => {
    const { queue } = waitingQueue();
    const reference = `tandem-file:${'c'.repeat(64)}`;
    const { fragment, result } = resolveFragmentImages(paragraphWithImages('https://example.com/a.png', reference), { queue, maxBytes: 1024 });
    expect(result.remote).toEqual(['https://example.com/a.png']);
    expect([fragment.firstChild!.child(1).attrs.src, fileIdOf(fragment.firstChild!.child(2).attrs.src)]).toEqual(['https://example.com/a.png', 'c'.repeat(64)]);
  });
});
