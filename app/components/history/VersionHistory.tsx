'use client';

import { schema } from '@tandem/document';
import type { VersionInfo } from '@tandem/protocol';
import { Node } from 'prosemirror-model';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { VersionsClient } from '@/lib/versionsClient';
import { NameVersionForm } from './NameVersionForm';
import { VersionDetail } from './VersionDetail';
import { VersionList } from './VersionList';

interface Props {
  client: VersionsClient;
  /** The live document as this editor has it, for comparing; undefined until the editor is ready. */
  current: Node | undefined;
  readOnly: boolean;
  onClose: () => void;
}

/** The history panel's content: the versions, the selected one, naming and restoring. */
export function VersionHistory({ client, current, readOnly, onClose }: Props) {
  const [versions, setVersions] = useState<VersionInfo[] | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [naming, setNaming] = useState(false);
  const [notice, setNotice] = useState('');
  const contents = useRef(new Map<string, Promise<Node>>());

  const refresh = useCallback(async () => {
    try {
      setVersions(await client.list());
      setError(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, [client]);
  useEffect(() => void refresh(), [refresh]);

  // Versions never change: each is fetched once.
  const load = useCallback(
    (id: string): Promise<Node> => {
      let content = contents.current.get(id);
      if (!content) {
        content = client.content(id).then((json) => Node.fromJSON(schema, json));
        content.catch(() => contents.current.delete(id));
        contents.current.set(id, content);
      }
      return content;
    },
    [client],
  );

  const index = versions?.findIndex((v) => v.id === selected) ?? -1;
  const version = index >= 0 ? versions![index] : undefined;
  const previous = index >= 0 ? versions![index + 1] : undefined;

  const onName = async (label: string) => {
    const id = await client.name(label);
    setNaming(false);
    setNotice(`Named this version “${label}”.`);
    await refresh();
    setSelected(id);
  };
  const onRestore = useMemo(
    () =>
      readOnly
        ? undefined
        : async (id: string) => {
            await client.restore(id);
            setNotice('Restored. What the document held before is kept as “Before a restore”.');
            await refresh();
          },
    [client, readOnly, refresh],
  );

  return (
    <div className="history">
      <header className="history-head">
        <h2 id="history-title" className="history-title">Version history</h2>
        <div className="history-head-actions">
          {readOnly ? null : (
            <button type="button" className="button" onClick={() => setNaming(true)} disabled={naming} data-testid="name-version">
              Name this version
            </button>
          )}
          <button type="button" className="button history-close" onClick={onClose} aria-label="Close version history">
            <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
              <path d="M18 6 6 18M6 6l12 12" />
            </svg>
          </button>
        </div>
      </header>
      <p className="sr-only" role="status" aria-live="polite">{notice}</p>
      <div className="history-body" data-view={version ? 'detail' : 'list'}>
        <div className="history-side">
          {naming ? <NameVersionForm onName={onName} onCancel={() => setNaming(false)} /> : null}
          {notice ? <p className="history-notice" data-testid="history-notice">{notice}</p> : null}
          {error ? (
            <div className="history-error" role="alert">
              {error}{' '}
              <button type="button" className="history-link" onClick={() => void refresh()}>
                Try again
              </button>
            </div>
          ) : versions === undefined ? (
            <p className="history-loading" aria-busy="true">Loading versions…</p>
          ) : versions.length === 0 ? (
            <p className="history-empty">
              No versions yet. One is kept a few minutes after editing pauses{readOnly ? '' : ', or name one now'}.
            </p>
          ) : (
            <VersionList versions={versions} selected={selected} onSelect={setSelected} />
          )}
        </div>
        <div className="history-main">
          {version ? (
            <>
              <button type="button" className="history-back history-link" onClick={() => setSelected(undefined)}>
                ← All versions
              </button>
              <VersionDetail key={version.id} version={version} previous={previous} current={current} load={load} onRestore={onRestore} />
            </>
          ) : (
            <p className="history-hint">Choose a version to see it, with what changed marked.</p>
          )}
        </div>
      </div>
    </div>
  );
}
