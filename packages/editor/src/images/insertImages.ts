/**
 * Putting image files into the document: from the clipboard (a screenshot), a drop, or the
 * toolbar's file picker. Each file is read, checked, hashed and queued for upload, and goes into
 * the document at once as a reference to its hash (see resolveImages.ts); refused files are named
 * in the editor's notice.
 */
import { IMAGE_TYPES } from '@tandem/protocol';
import { Fragment, type Node, Slice } from 'prosemirror-model';
import type { EditorView } from 'prosemirror-view';
import { acceptImageBytes, type ResolveContext } from './resolveImages.js';

/** The image files among `items` (a clipboard's or a drop's files). */
export function imageFiles(files: FileList | readonly File[] | null | undefined): File[] {
  return Array.from(files ?? []).filter((file) => file.type.startsWith('image/') || file.type === '');
}

/**
 * Insert `files` as images at `pos` (a drop) or in place of the selection. Resolves once they are
 * in the document; their uploads go on in the background.
 */
export async function insertImageFiles(
  view: EditorView,
  files: readonly File[],
  context: ResolveContext & { notify: (lines: string[]) => void },
  pos?: number,
): Promise<void> {
  const images: Node[] = [];
  const refused: string[] = [];
  const imageType = view.state.schema.nodes.image!;
  for (const file of files) {
    const accepted = acceptImageBytes(new Uint8Array(await file.arrayBuffer()), context);
    if ('src' in accepted) images.push(imageType.create({ src: accepted.src, alt: null }));
    else refused.push(`“${file.name || 'image'}” was not added: ${accepted.refused}.`);
  }
  context.notify(refused);
  if (images.length === 0 || view.isDestroyed) return;
  const slice = new Slice(Fragment.from(images), 0, 0);
  const tr = view.state.tr;
  if (pos !== undefined && pos <= tr.doc.content.size) tr.replaceRange(pos, pos, slice);
  else tr.replaceSelection(slice);
  view.dispatch(tr.scrollIntoView());
}

/** Open the browser's file picker for images; what is chosen is inserted at the selection. */
export function pickImageFiles(view: EditorView, onFiles: (files: File[]) => void): void {
  const input = view.dom.ownerDocument.createElement('input');
  input.type = 'file';
  input.accept = IMAGE_TYPES.join(',');
  input.multiple = true;
  input.addEventListener('change', () => {
    const files = imageFiles(input.files);
    if (files.length > 0) onFiles(files);
  });
  input.click();
}
