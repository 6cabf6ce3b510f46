import type { NodeSpec } from 'prosemirror-model';
import { tableNodes } from 'prosemirror-tables';

/**
 * The table nodes: `table`, `table_row`, `table_cell` and `table_header`, made by
 * prosemirror-tables so that its commands, cell selection and column resizing work on them.
 * Cells hold blocks (paragraphs, lists, even tables), span rows and columns (`rowspan`,
 * `colspan`) and remember the widths their columns were dragged to (`colwidth`).
 */
export const tableNodeSpecs: Record<'table' | 'table_row' | 'table_cell' | 'table_header', NodeSpec> = tableNodes({
  tableGroup: 'block',
  cellContent: 'block+',
  cellAttributes: {},
});

/** The names of the nodes whose children are blocks inside a table. */
export const TABLE_CELL_NODES = ['table_cell', 'table_header'] as const;
