import { killSyncServer, restartSyncServer } from '../support/processes.js';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';

test('after the sync server is killed with SIGKILL and restarted, a reload shows everything', async ({ person, docName }) => {
  const ada = await person('Ada');
  const bob = await person('Bob');
  await ada.open(docName);
  await bob.open(docName);
  await ada.editor.click();
  await ada.page.keyboard.type('# Durable\nEvery word seen by someone else is on disk.', { delay: TYPING_DELAY });
  // Bob seeing it means the server relayed it, and it writes before it relays.
  await expect(bob.editor).toContainText('Every word seen by someone else is on disk.');

  await killSyncServer();
  await expect(ada.page.getByTestId('status')).toHaveAttribute('data-state', 'offline');
  // Editing goes on while offline; it is sent once the server is back.
  await ada.page.keyboard.type(' Typed offline.', { delay: TYPING_DELAY });
  await expect(ada.page.getByTestId('status')).toHaveText('Offline — changes kept on this device');

  await restartSyncServer();
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved', { timeout: 15_000 });
  await expect(bob.editor).toContainText('Typed offline.', { timeout: 15_000 });

  await ada.page.reload();
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');
  await expect(ada.editor.locator('h1')).toHaveText('Durable');
  await expect(ada.editor.locator('p')).toHaveText('Every word seen by someone else is on disk. Typed offline.');
});
