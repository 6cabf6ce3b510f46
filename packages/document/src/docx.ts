/**
 * A document as a Word file (.docx), written with the `docx` library, and a Word file as HTML, read
 * with `mammoth` (then parsed like any page: see html.ts).
 *
 * The export uses Word's own heading styles and numbered/bulleted lists, and three styles of its
 * own — Quote, Code Block and Inline Code — which the import maps back to quotes, code blocks and
 * inline code, so that a document survives a round trip through Word. Images are embedded at their
 * size in the document (never wider than the page); WebP, which Word files cannot carry through the
 * `docx` library, is written as its alt text in brackets.
 */
import {
  Document,
  ExternalHyperlink,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  Paragraph,
  TextRun,
  type ILevelsOptions,
  type INumberingOptions,
  type ParagraphChild,
} from 'docx';
import mammoth from 'mammoth';
import type { ImageType } from '@tandem/protocol';
import type { Mark, Node } from 'prosemirror-model';
import type { ImageInfo } from './imageBytes.js';
import { clampHeadingLevel, isSafeHref } from './schema.js';

/** An image's bytes and what they are, for embedding. */
export interface EmbeddedImage {
  data: Uint8Array;
  info: ImageInfo;
}

export interface DocxExportOptions {
  title: string;
  /** The image an image node's `src` stands for; undefined leaves it out. */
  image: (src: string) => EmbeddedImage | undefined;
}

/** Widest an image may be: the text width of a Letter or A4 page with one-inch margins, in CSS pixels. */
const MAX_IMAGE_WIDTH = 600;
/** Twentieths of a point per indent step (half an inch). */
const INDENT_STEP = 720;
const STYLE = { quote: 'Quote', code: 'CodeBlock', inlineCode: 'InlineCode' } as const;
const DOCX_IMAGE_TYPES: Partial<Record<ImageType, 'png' | 'jpg' | 'gif'>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif' };
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;
const BULLETS = 'tandem-bullets';

/** Where a block sits: inside a quote, how deep in lists. */
interface Context {
  quote: boolean;
  depth: number;
}

/** Writes one document; holds the numbering its ordered lists need. */
class DocxWriter {
  private readonly numberings = new Map<number, string>();
  private listInstances = 0;

  constructor(private readonly options: DocxExportOptions) {}

  async write(body: Node): Promise<Uint8Array> {
    const children = this.blocks(body, { quote: false, depth: 0 });
    if (children.length === 0) children.push(new Paragraph({}));
    const file = new Document({
      title: this.options.title.trim() || 'Untitled',
      creator: 'Tandem',
      styles: {
        paragraphStyles: [
          { id: STYLE.quote, name: 'Quote', basedOn: 'Normal', paragraph: { indent: { left: INDENT_STEP } }, run: { italics: true, color: '57606A' } },
          { id: STYLE.code, name: 'Code Block', basedOn: 'Normal', paragraph: { spacing: { before: 0, after: 0 } }, run: { font: 'Courier New', size: 20 } },
        ],
        characterStyles: [{ id: STYLE.inlineCode, name: 'Inline Code', run: { font: 'Courier New' } }],
      },
      numbering: { config: this.numberingConfig() },
      sections: [{ children }],
    });
    return new Uint8Array(await Packer.toArrayBuffer(file));
  }

  private blocks(parent: Node, context: Context): Paragraph[] {
    const out: Paragraph[] = [];
    parent.forEach((node) => out.push(...this.block(node, context)));
    return out;
  }

  private block(node: Node, context: Context): Paragraph[] {
    const style = context.quote ? STYLE.quote : undefined;
    const indent = context.depth > 0 ? { left: INDENT_STEP * context.depth } : undefined;
    switch (node.type.name) {
      case 'heading':
        return [new Paragraph({ heading: HEADINGS[clampHeadingLevel(node.attrs.level as number) - 1], children: this.inline(node) })];
      case 'blockquote':
        return this.blocks(node, { ...context, quote: true });
      case 'code_block':
        // One paragraph a line: the import joins consecutive Code Block paragraphs into one block.
        return node.textContent.split('\n').map((line) => new Paragraph({ style: STYLE.code, indent, children: [new TextRun(line)] }));
      case 'horizontal_rule':
        return [new Paragraph({ thematicBreak: true, children: [] })];
      case 'bullet_list':
      case 'ordered_list':
        return this.list(node, context);
      case 'paragraph':
        return [new Paragraph({ style, indent, children: this.inline(node) })];
      default:
        // A block type this writer does not know yet: keep its text.
        return [new Paragraph({ style, indent, children: [new TextRun(node.textContent)] })];
    }
  }

  private list(list: Node, context: Context): Paragraph[] {
    const reference = list.type.name === 'ordered_list' ? this.numberingFor(Number(list.attrs.order) || 1) : BULLETS;
    const instance = ++this.listInstances;
    const level = Math.min(context.depth, 8);
    const out: Paragraph[] = [];
    list.forEach((item) => {
      item.forEach((child, _offset, index) => {
        if (index === 0 && child.type.name === 'paragraph') {
          out.push(new Paragraph({ style: context.quote ? STYLE.quote : undefined, numbering: { reference, level, instance }, children: this.inline(child) }));
        } else {
          out.push(...this.block(child, { ...context, depth: context.depth + 1 }));
        }
      });
    });
    return out;
  }

  private inline(textblock: Node): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    textblock.forEach((node) => {
      if (node.isText) {
        const link = node.marks.find((mark) => mark.type.name === 'link');
        const run = textRun(node.text ?? '', node.marks, !!link);
        const href = link?.attrs.href as string | undefined;
        out.push(href && isSafeHref(href) ? new ExternalHyperlink({ link: href, children: [run] }) : run);
      } else if (node.type.name === 'hard_break') {
        out.push(new TextRun({ break: 1 }));
      } else if (node.type.name === 'image') {
        out.push(this.image(node));
      }
    });
    return out;
  }

  private image(node: Node): ParagraphChild {
    const alt = typeof node.attrs.alt === 'string' ? node.attrs.alt : '';
    const embedded = this.options.image(String(node.attrs.src));
    const type = embedded && DOCX_IMAGE_TYPES[embedded.info.type];
    if (!embedded || !type) return new TextRun(alt ? `[${alt}]` : '[image]');
    const { width: naturalWidth, height: naturalHeight } = embedded.info;
    const wanted = typeof node.attrs.width === 'number' ? node.attrs.width : naturalWidth;
    const width = Math.max(1, Math.min(wanted, MAX_IMAGE_WIDTH));
    const height = Math.max(1, Math.round((naturalHeight * width) / naturalWidth));
    const title = typeof node.attrs.title === 'string' ? node.attrs.title : undefined;
    return new ImageRun({ type, data: embedded.data, transformation: { width, height }, altText: { name: alt || 'image', description: alt, title } });
  }

  private numberingFor(start: number): string {
    let reference = this.numberings.get(start);
    if (!reference) {
      reference = `tandem-numbers-${start}`;
      this.numberings.set(start, reference);
    }
    return reference;
  }

  private numberingConfig(): INumberingOptions['config'] {
    const levels = (format: 'bullet' | 'decimal', start = 1): ILevelsOptions[] =>
      Array.from({ length: 9 }, (_, level) => ({
        level,
        format: format === 'bullet' ? LevelFormat.BULLET : LevelFormat.DECIMAL,
        text: format === 'bullet' ? ['•', '◦', '▪'][level % 3]! : `%${level + 1}.`,
        start: level === 0 ? start : 1,
        style: { paragraph: { indent: { left: INDENT_STEP * (level + 1), hanging: 360 } } },
      }));
    return [
      { reference: BULLETS, levels: levels('bullet') },
      ...[...this.numberings].map(([start, reference]) => ({ reference, levels: levels('decimal', start) })),
    ];
  }
}

function textRun(text: string, marks: readonly Mark[], linked: boolean): TextRun {
  const has = (name: string) => marks.some((mark) => mark.type.name === name);
  return new TextRun({
    text,
    bold: has('bold') || undefined,
    italics: has('italic') || undefined,
    strike: has('strike') || undefined,
    style: has('code') ? STYLE.inlineCode : linked ? 'Hyperlink' : undefined,
  });
}

/** `body` as a .docx file. */
export function documentToDocx(body: Node, options: DocxExportOptions): Promise<Uint8Array> {
  return new DocxWriter(options).write(body);
}

/** How the import reads this export's own styles (mammoth's style map syntax). */
const STYLE_MAP = [
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Code Block'] => pre:separator('\\n')",
  "r[style-name='Inline Code'] => code",
  'u => u',
];

/** The result of reading a Word file. */
export interface DocxAsHtml {
  /** The body as HTML; images are embedded as `data:` URLs. */
  html: string;
  /** What mammoth could not carry over (unknown styles and the like), for a notice. */
  warnings: string[];
}

/** A Word file (.docx) as HTML, to be parsed with {@link htmlToDocument}. Throws when the bytes are not a Word file. */
export async function docxToHtml(bytes: Uint8Array): Promise<DocxAsHtml> {
  // mammoth's Node build reads `buffer`, its browser build `arrayBuffer`: give both.
  const input = { buffer: bytes as unknown as Buffer, arrayBuffer: bytes as unknown as ArrayBuffer };
  // externalFileAccess: a Word file may point at files on the machine that reads it; never follow those.
  const result = await mammoth.convertToHtml(input, { styleMap: STYLE_MAP, externalFileAccess: false });
  return { html: result.value, warnings: result.messages.map((m) => m.message) };
}
