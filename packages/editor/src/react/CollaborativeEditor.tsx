import { useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { createEditor, type CreateEditorOptions, type TandemEditor } from '../createEditor.js';

/**
 * Props of {@link CollaborativeEditor}: the options of {@link createEditor} (callbacks and
 * `getToken` may change on every render; `user` changes update presence live), plus the ones below.
 */
export interface CollaborativeEditorProps extends Omit<CreateEditorOptions, 'WebSocketPolyfill' | 'plugins'> {
  /** Called with the running editor after it is created, and with `null` before it is destroyed. */
  onReady?: (editor: TandemEditor | null) => void;
  className?: string;
  style?: CSSProperties;
  /** Rendered above the text, under the toolbar, in the text's column (a title field, say). */
  children?: ReactNode;
}

/**
 * Tandem's collaborative editor as a React component.
 *
 * The editor connects on mount and disconnects on unmount (releasing the socket, awareness and
 * every listener). A change of `docName`, `serverUrl`, `token` or `readOnly` makes a new editor;
 * a change of `user` only updates presence; callbacks may change on every render.
 *
 * ```tsx
 * <CollaborativeEditor
 *   docName="team-notes"
 *   serverUrl="ws://localhost:1234"
 *   user={{ name: 'Ada', color: '#3e63dd' }}
 *   onStatusChange={(status) => console.log(status)}
 * />
 * ```
 */
export function CollaborativeEditor(props: CollaborativeEditorProps) {
  const { docName, serverUrl, token, readOnly, toolbar, presence, placeholder, offline, warnBeforeUnload, className, style } = props;
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<TandemEditor | null>(null);
  const [header, setHeader] = useState<HTMLElement | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const paramsKey = props.params ? JSON.stringify(props.params) : '';
  const filesKey = props.files ? JSON.stringify(props.files) : '';

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const current = latest.current;
    const editor = createEditor(element, {
      docName,
      serverUrl,
      token,
      getToken: current.getToken ? () => (latest.current.getToken ?? current.getToken!)() : undefined,
      readOnly,
      toolbar,
      presence,
      placeholder,
      offline,
      warnBeforeUnload,
      autofocus: current.autofocus,
      user: current.user,
      params: paramsKey ? (JSON.parse(paramsKey) as Record<string, string>) : undefined,
      promptForLink: (message, initial) => (latest.current.promptForLink ?? window.prompt.bind(window))(message, initial),
      promptForAlt: (message, initial) => (latest.current.promptForAlt ?? window.prompt.bind(window))(message, initial),
      files: filesKey ? (JSON.parse(filesKey) as CreateEditorOptions['files']) : undefined,
      onStatusChange: (status) => latest.current.onStatusChange?.(status),
      onSaveStatusChange: (status) => latest.current.onSaveStatusChange?.(status),
      onPresenceChange: (peers) => latest.current.onPresenceChange?.(peers),
      onSynced: () => latest.current.onSynced?.(),
      onClosed: (closed) => latest.current.onClosed?.(closed),
    });
    editorRef.current = editor;
    setHeader(editor.header);
    current.onReady?.(editor);
    return () => {
      latest.current.onReady?.(null);
      setHeader(null);
      editorRef.current = null;
      editor.destroy();
    };
  }, [docName, serverUrl, token, readOnly, toolbar, presence, placeholder, offline, warnBeforeUnload, paramsKey, filesKey]);

  const { name, color } = props.user;
  useEffect(() => {
    editorRef.current?.setUser({ name, color });
  }, [name, color]);

  return (
    <>
      <div ref={host} className={className} style={style} data-tandem-doc={docName} />
      {header && props.children ? createPortal(props.children, header) : null}
    </>
  );
}
