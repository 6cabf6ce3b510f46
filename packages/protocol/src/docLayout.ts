/**
 * Where things live in a Tandem Y.Doc. The editor (through y-prosemirror) writes this layout and
 * the sync server reads it and writes into it (restored paragraphs, see PROTOCOL.md, "Concurrent
 * deletions"). The title's place is in title.ts. Renaming any of these is a data migration.
 */

/** The Y.XmlFragment holding the document body: y-prosemirror's default name. */
export const BODY_FRAGMENT = 'prosemirror';

// The title's place (a Y.Text, and the string older documents kept) is in title.ts.

/** The element name of a paragraph: y-prosemirror writes each node as a Y.XmlElement named after its type. */
export const PARAGRAPH_NODE = 'paragraph';

/**
 * An attribute of a paragraph the server wrote to keep words that were typed into a paragraph
 * someone else deleted at the same time. Its value is `true` while the paragraph is to be shown
 * marked; editors remove it (for everyone) once a person has seen it. A paragraph without it is an
 * ordinary one.
 */
export const RESTORED_ATTRIBUTE = 'restored';

/**
 * Element names whose children are blocks of any kind, so a paragraph may stand anywhere among
 * them. The body fragment itself is one too. A restored paragraph goes into the nearest surviving
 * container of this kind (a list holds only list items, so text from a deleted list item goes into
 * the list item's surviving parent, right after the list; a table holds only rows, so text from a
 * deleted cell goes after the table).
 */
export const BLOCK_CONTAINER_NODES: readonly string[] = ['blockquote', 'list_item', 'task_item', 'table_cell', 'table_header'];
