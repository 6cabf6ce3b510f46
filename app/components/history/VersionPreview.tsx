'use client';

import type { Node } from 'prosemirror-model';
import { EditorState, Plugin } from 'prosemirror-state';
import { Decoration, DecorationSet, EditorView } from 'prosemirror-view';
import { useEffect, useRef } from 'react';
import type { VersionDiff } from '@/lib/versionDiff';

/**
 * A version, drawn read-only by ProseMirror with the document's own styles, with what differs
 * from the version it is compared with marked: added text as `<ins>`, removed text as `<del>` at
 * the place it stood (colour, underline and strike, so colour is not the only sign).
 */
export function VersionPreview({ doc, diff, label }: { doc: Node; diff: VersionDiff | undefined; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);

  useEffect(() => {
    const state = stateFor(doc, diff);
    if (view.current) view.current.updateState(state);
    else
      view.current = new EditorView(host.current!, {
        state,
        editable: () => false,
        attributes: { class: 'tandem-prose history-prose', 'aria-label': label, role: 'document' },
      });
  }, [doc, diff, label]);

  useEffect(
    () => () => {
      view.current?.destroy();
      view.current = null;
    },
    [],
  );

  return <div className="tandem-editor history-preview" ref={host} data-testid="version-preview" />;
}

function stateFor(doc: Node, diff: VersionDiff | undefined): EditorState {
  const decorations = diff ? decorationsFor(doc, diff) : DecorationSet.empty;
  return EditorState.create({ doc, plugins: [new Plugin({ props: { decorations: () => decorations } })] });
}

function decorationsFor(doc: Node, diff: VersionDiff): DecorationSet {
  const added = diff.added.map(({ from, to }) => Decoration.inline(from, to, { nodeName: 'ins', class: 'history-added' }));
  const removed = diff.removed.map(({ at, text }, i) =>
    Decoration.widget(
      at,
      () => {
        const del = document.createElement('del');
        del.className = 'history-removed';
        del.textContent = text;
        return del;
      },
      { side: -1, key: `removed-${i}-${text.length}`, marks: [] },
    ),
  );
  return DecorationSet.create(doc, [...added, ...removed]);
}
