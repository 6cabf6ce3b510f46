/**
 * Test helpers (jsdom): HTML through the schema's DOM parser, and back out through its serializer;
 * a whole exported page parsed as a browser would.
 */
import { DOMParser as PMDOMParser, DOMSerializer, type Node } from 'prosemirror-model';
import { schema } from '../schema.js';

/** `html` parsed by the schema, as a browser's paste or load would. */
export function parseHtml(html: string): Node {
  const element = document.createElement('div');
  element.innerHTML = html;
  return PMDOMParser.fromSchema(schema).parse(element);
}

/** `html` parsed by the schema and rendered again: what the editor would show. */
export function roundTripHtml(html: string): string {
  const element = document.createElement('div');
  element.append(DOMSerializer.fromSchema(schema).serializeFragment(parseHtml(html).content));
  return element.innerHTML;
}

/** A whole HTML page (an export, or what mammoth reads out of a DOCX), parsed as a browser would. */
export const parsePage = (html: string): Document => new DOMParser().parseFromString(html, 'text/html');
