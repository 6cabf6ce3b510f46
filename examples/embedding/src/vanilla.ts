import { createEditor } from '@tandem/editor';
import '@tandem/editor/styles.css';

const editor = createEditor(document.getElementById('editor')!, {
  docName: 'team-notes',
  serverUrl: import.meta.env.VITE_TANDEM_SYNC_URL ?? 'ws://localhost:1234',
  user: { name: 'Ada', color: '#3e63dd' },
  onStatusChange: (status) => console.log(status),
  onPresenceChange: (peers) => console.log(peers),
});
// later, when the page no longer needs it (here: before Vite swaps this module in development)
import.meta.hot?.dispose(() => editor.destroy());
