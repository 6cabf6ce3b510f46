import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CollaborativeEditor } from '@tandem/editor/react';
import '@tandem/editor/styles.css';

function Notes() {
  return (
    <CollaborativeEditor
      docName="team-notes"
      serverUrl={import.meta.env.VITE_TANDEM_SYNC_URL ?? 'ws://localhost:1234'}
      user={{ name: 'Grace', color: '#d6409f' }}
      onStatusChange={(status) => console.log(status)}
      onPresenceChange={(peers) => console.log(peers)}
    />
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Notes />
  </StrictMode>,
);
