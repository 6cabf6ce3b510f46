import { startStack } from './support/processes.js';

/** Start the real sync server and the built app once for the whole run; the returned function stops them. */
export default async function globalSetup() {
  const { stopStack } = await import('./support/processes.js');
  const state = await startStack();
  process.env.TANDEM_APP_URL = state.appUrl;
  return async () => stopStack();
}
