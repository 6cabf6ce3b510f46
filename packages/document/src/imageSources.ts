/**
 * The images of a document, by source: what exports embed (a file reference becomes the file's
 * bytes) and what imports upload (a `data:` URL or a web address becomes a file reference).
 */
import { Fragment, type Node } from 'prosemirror-model';

/** Every distinct image `src` in `body`, in document order. */
export function imageSources(body: Node): string[] {
  const found = new Set<string>();
  body.descendants((node) => {
    if (node.type.name === 'image' && typeof node.attrs.src === 'string') found.add(node.attrs.src);
  });
  return [...found];
}

/**
 * `body` with each image's `src` replaced by `replace(src)`; an image for which it gives undefined
 * is left out (a file that is missing, a picture that could not be fetched). Other nodes are
 * shared with `body`, which is not changed.
 */
export function replaceImageSources(body: Node, replace: (src: string) => string | undefined): Node {
  const rebuild = (node: Node): Node | undefined => {
    if (node.type.name === 'image') {
      const src = replace(String(node.attrs.src));
      return src === undefined ? undefined : node.type.create({ ...node.attrs, src }, null, node.marks);
    }
    if (node.isLeaf || !containsImage(node)) return node;
    const children: Node[] = [];
    node.forEach((child) => {
      const rebuilt = rebuild(child);
      if (rebuilt) children.push(rebuilt);
    });
    // A block left empty by a dropped image still fits its content expression (inline*).
    return node.copy(Fragment.from(children));
  };
  return rebuild(body) ?? body.type.createAndFill()!;
}

function containsImage(node: Node): boolean {
  let found = false;
  node.descendants((child) => {
    if (child.type.name === 'image') found = true;
    return !found;
  });
  return found;
}
