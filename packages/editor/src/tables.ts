import type { Node, NodeType, Schema } from 'prosemirror-model';
import { Plugin, TextSelection, type Command, type Transaction } from 'prosemirror-state';
import {
  addRowAfter,
  columnResizing,
  goToNextCell,
  isInTable,
  tableEditing,
} from 'prosemirror-tables';
import { ySyncPluginKey } from 'y-prosemirror';

/**
 * Tables in the editor: prosemirror-tables' cell selection, column resizing and table commands,
 * made safe for several people editing one table at once, plus the commands Tandem adds
 * (insert a table, Tab through cells).
 */

/** Rows and columns of a table made by {@link insertTable} when none are given. */
export const DEFAULT_TABLE_SIZE = { rows: 3, columns: 3 } as const;

/**
 * Insert an empty table of `rows` × `columns` (the first row made of header cells) in place of the
 * selection, and put the cursor in its first cell. Not inside another table.
 */
export function insertTable(rows: number = DEFAULT_TABLE_SIZE.rows, columns: number = DEFAULT_TABLE_SIZE.columns): Command {
  return (state, dispatch) => {
    const table = createTable(state.schema, rows, columns);
    if (!table || isInTable(state)) return false;
    const { $from } = state.selection;
    // Somewhere between the selection and the top a table may stand (a list item, a quote, the body).
    let fits = false;
    for (let depth = $from.depth; depth >= 0 && !fits; depth--) {
      const index = $from.index(depth);
      fits = $from.node(depth).canReplaceWith(index, index, table.type);
    }
    if (!fits) return false;
    if (dispatch) {
      const from = state.selection.from;
      const tr = state.tr.replaceSelectionWith(table);
      let firstCell: number | undefined;
      tr.doc.nodesBetween(Math.max(0, from - 2), Math.min(tr.doc.content.size, tr.selection.to), (node, pos) => {
        if (firstCell !== undefined) return false;
        if (node.type.spec.tableRole === 'cell' || node.type.spec.tableRole === 'header_cell') firstCell = pos;
        return true;
      });
      if (firstCell !== undefined) tr.setSelection(TextSelection.near(tr.doc.resolve(firstCell + 1)));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/** An empty table: one row of header cells, then rows of ordinary cells; undefined when the schema has no tables or the size is not positive. */
export function createTable(schema: Schema, rows: number, columns: number): Node | undefined {
  const { table, table_row: row, table_cell: cell, table_header: header } = schema.nodes;
  if (!table || !row || !cell || !header || !(rows >= 1) || !(columns >= 1)) return undefined;
  const rowOf = (type: NodeType) => row.create(null, Array.from({ length: Math.floor(columns) }, () => type.createAndFill()!));
  return table.create(null, [rowOf(header), ...Array.from({ length: Math.floor(rows) - 1 }, () => rowOf(cell))]);
}

/** Tab in a table: the next cell; from the last cell, a new row and its first cell. */
export const nextCellOrNewRow: Command = (state, dispatch) => {
  if (!isInTable(state)) return false;
  if (goToNextCell(1)(state, dispatch)) return true;
  let tr: Transaction | undefined;
  if (!addRowAfter(state, (added) => void (tr = added)) || !tr) return true;
  if (!dispatch) return true;
  const grown = state.apply(tr);
  goToNextCell(1)(grown, (moved) => void tr!.setSelection(moved.selection));
  dispatch(tr.scrollIntoView());
  return true;
};

/** Shift-Tab in a table: the previous cell (staying put, and in the editor, in the first one). */
export const previousCell: Command = (state, dispatch) => {
  if (!isInTable(state)) return false;
  goToNextCell(-1)(state, dispatch);
  return true;
};

/**
 * prosemirror-tables' editing plugin (cell selection, copying and pasting cells, keeping tables
 * rectangular), except that a table is only repaired after this person's own changes. After a
 * change from someone else (two people adding a row and a column at once leave one row short),
 * every editor would add the same missing cell, and Yjs would keep all their copies; the repair is
 * left to whoever next edits that table.
 */
export function collaborativeTableEditing(): Plugin {
  const { spec } = tableEditing();
  return new Plugin({
    ...spec,
    appendTransaction(transactions, oldState, newState) {
      if (transactions.every(isFromYjs)) return null;
      return spec.appendTransaction!.call(this as unknown as Plugin, transactions, oldState, newState);
    },
  });
}

/** True for the transactions y-prosemirror makes from Yjs changes (other people's, and undo). */
function isFromYjs(tr: Transaction): boolean {
  return (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
}

/** The table plugins: column resizing by dragging a cell's right border, then editing. */
export function tablePlugins(): Plugin[] {
  return [columnResizing({ cellMinWidth: 48 }), collaborativeTableEditing()];
}
