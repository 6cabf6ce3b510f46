// @vitest-environment jsdom
import { schema } from '@tandem/document';
import type { Node } from 'prosemirror-model';
import { TextSelection } from 'prosemirror-state';
import { addColumnAfter, addRowAfter, CellSelection, deleteColumn, deleteRow, TableMap, tableEditing, toggleHeaderRow } from 'prosemirror-tables';
import type { EditorView } from 'prosemirror-view';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTable, insertTable, nextCellOrNewRow, previousCell, tablePlugins } from './tables.js';
import { localView, type } from './testing/view.js';

const views: EditorView[] = [];
afterEach(() => views.splice(0).forEach((view) => view.destroy()));

function open(ydoc = new Y.Doc(), plugins = tablePlugins()): EditorView {
  const { view } = localView(plugins, ydoc);
  views.push(view);
  return view;
}

const run = (view: EditorView, command: (state: EditorView['state'], dispatch: EditorView['dispatch']) => boolean) => command(view.state, view.dispatch);
const tableOf = (doc: Node) => {
  let table: Node | undefined;
  doc.descendants((node) => {
    table ??= node.type.name === 'table' ? node : undefined;
    return !table;
  });
  return table!;
};
/** Cells per row, and the text of each cell, row by row. */
const shape = (doc: Node) => {
  const table = tableOf(doc);
  const rows: string[][] = [];
  table.forEach((row) => {
    const cells: string[] = [];
    row.forEach((cell) => cells.push(cell.textContent));
    rows.push(cells);
  });
  return rows;
};
/** Put the cursor in the cell at `row`, `col`. */
function inCell(view: EditorView, row: number, col: number) {
  const table = tableOf(view.state.doc);
  let tablePos = 0;
  view.state.doc.descendants((node, pos) => {
    if (node === table) tablePos = pos;
    return node !== table;
  });
  const map = TableMap.get(table);
  const cellPos = tablePos + 1 + map.map[row * map.width + col]!;
  view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(cellPos + 1))));
}

describe('tables', () => {
  it('inserts a 3 × 3 table with a header row and puts the cursor in its first cell', () => {
    const view = open();
    type(view, 'Before');
    expect(run(view, insertTable())).toBe(true);
    const table = tableOf(view.state.doc);
    expect(table.childCount).toBe(3);
    expect(table.child(0).content.content.map((cell) => cell.type.name)).toEqual(['table_header', 'table_header', 'table_header']);
    expect(table.child(1).content.content.map((cell) => cell.type.name)).toEqual(['table_cell', 'table_cell', 'table_cell']);
    type(view, 'Name');
    expect(shape(view.state.doc)[0]).toEqual(['Name', '', '']);
    // Not a table in a table.
    expect(insertTable()(view.state)).toBe(false);
    expect(createTable(schema, 0, 3)).toBeUndefined();
  });

  it('Tab walks the cells, and in the last cell adds a row; Shift-Tab walks back', () => {
    const view = open();
    type(view, 'Before');
    run(view, insertTable(2, 2));
    for (const text of ['a', 'b', 'c', 'd']) {
      type(view, text);
      run(view, nextCellOrNewRow);
    }
    type(view, 'e');
    expect(shape(view.state.doc)).toEqual([['a', 'b'], ['c', 'd'], ['e', '']]);
    // Like Tab, Shift-Tab selects the cell's text.
    run(view, previousCell);
    run(view, previousCell);
    type(view, '!');
    expect(shape(view.state.doc)).toEqual([['a', 'b'], ['!', 'd'], ['e', '']]);
    // Outside a table neither is theirs to handle.
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, 1)));
    expect(nextCellOrNewRow(view.state)).toBe(false);
    expect(previousCell(view.state)).toBe(false);
  });

  it('adds and removes rows and columns, and toggles the header row', () => {
    const view = open();
    run(view, insertTable(2, 2));
    inCell(view, 1, 1);
    run(view, addRowAfter);
    run(view, addColumnAfter);
    expect(shape(view.state.doc).map((row) => row.length)).toEqual([3, 3, 3]);
    run(view, deleteRow);
    run(view, deleteColumn);
    expect(shape(view.state.doc).map((row) => row.length)).toEqual([2, 2]);
    inCell(view, 0, 0);
    run(view, toggleHeaderRow);
    expect(tableOf(view.state.doc).child(0).child(0).type.name).toBe('table_cell');
    run(view, toggleHeaderRow);
    expect(tableOf(view.state.doc).child(0).child(0).type.name).toBe('table_header');
  });

  it('selects cells: a selection across cells becomes a cell selection', () => {
    const view = open();
    run(view, insertTable(2, 2));
    inCell(view, 0, 0);
    const anchor = view.state.selection.from;
    inCell(view, 1, 1);
    const head = view.state.selection.from;
    const cellBefore = (pos: number) => view.state.doc.resolve(pos).before(view.state.doc.resolve(pos).depth - 1);
    view.dispatch(view.state.tr.setSelection(CellSelection.create(view.state.doc, cellBefore(anchor), cellBefore(head))));
    expect(view.state.selection).toBeInstanceOf(CellSelection);
    let selected = 0;
    (view.state.selection as CellSelection).forEachCell(() => selected++);
    expect(selected).toBe(4);
  });
});

describe('tables with two people', () => {
  /** Two editors on two Y.Docs, with the network in our hands: `sync()` delivers everything both ways. */
  function pair(plugins = tablePlugins) {
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    const a = open(docA, plugins());
    const b = open(docB, plugins());
    const sync = () => {
      Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA, Y.encodeStateVector(docB)));
      Y.applyUpdate(docA, Y.encodeStateAsUpdate(docB, Y.encodeStateVector(docA)));
    };
    return { a, b, sync };
  }

  it('both people typing into different cells of one table converge', () => {
    const { a, b, sync } = pair();
    run(a, insertTable(2, 2));
    sync();
    inCell(a, 1, 0);
    inCell(b, 1, 1);
    type(a, 'from Ada');
    type(b, 'from Bob');
    sync();
    expect(shape(a.state.doc)).toEqual([['', ''], ['from Ada', 'from Bob']]);
    expect(b.state.doc.eq(a.state.doc)).toBe(true);
  });

  /** Ada adds a row while Bob adds a column; both then type above the table; the network delivers it all. */
  function rowAndColumnAtOnce(plugins?: () => ReturnType<typeof tablePlugins>) {
    const people = pair(plugins);
    const { a, b, sync } = people;
    type(a, 'Above');
    run(a, insertTable(2, 2));
    sync();
    inCell(a, 1, 1);
    run(a, addRowAfter);
    inCell(b, 0, 1);
    run(b, addColumnAfter);
    sync();
    for (const view of [a, b]) {
      view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, 1)));
      type(view, view === a ? 'A' : 'B');
    }
    sync();
    return people;
  }
  const rowLengths = (view: EditorView) => shape(view.state.doc).map((row) => row.length);

  it('a row and a column added at the same time give one table, not a repair per editor', () => {
    const { a, b, sync } = rowAndColumnAtOnce();
    expect(b.state.doc.eq(a.state.doc)).toBe(true);
    // The new row is one cell short until someone edits the table: the repair is made once.
    expect(rowLengths(a)).toEqual([3, 3, 2]);
    inCell(a, 2, 0);
    type(a, 'x');
    sync();
    expect(rowLengths(a)).toEqual([3, 3, 3]);
    expect(rowLengths(b)).toEqual([3, 3, 3]);
    expect(b.state.doc.eq(a.state.doc)).toBe(true);
  });

  it('(with the stock plugin both editors repair the table, and the cells pile up)', () => {
    const { a } = rowAndColumnAtOnce(() => [tableEditing()]);
    expect(Math.max(...rowLengths(a))).toBeGreaterThan(3);
  });
});
