interface ImportMetaEnv {
  /** The sync server the pages connect to, fixed at build time; `ws://localhost:1234` when unset. */
  readonly VITE_TANDEM_SYNC_URL?: string;
}
