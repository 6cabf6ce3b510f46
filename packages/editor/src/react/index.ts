/** @tandem/editor/react — the collaborative editor as a React component. */
export { CollaborativeEditor, type CollaborativeEditorProps } from './CollaborativeEditor.js';
export type { TandemEditor, CreateEditorOptions } from '../createEditor.js';
export type { Peer } from '../presence.js';
export type { ConnectionStatus, ConnectionClosed } from '../provider/connectionStatus.js';
export type { SaveStatus } from '../saveStatus.js';
export type { EditorUser } from '../user.js';
