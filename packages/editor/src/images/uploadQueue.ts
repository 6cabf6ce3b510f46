/**
 * Uploads of the images put into a document from this browser. An image goes into the document at
 * once, as a reference to the hash of its bytes; the bytes wait in {@link PendingFiles} and are
 * sent one at a time. A failure of the network or the server is retried — with backoff, at once
 * when the browser or the sync connection comes back — and survives a reload; a refusal (too
 * large, not an image, no access) is final and shown on the image, which can then be removed.
 */
import { FileClient, FileRequestError } from './fileClient.js';
import type { PendingFiles } from './pendingFiles.js';

/** Where one image's upload stands. */
export type UploadState =
  | { phase: 'waiting' }
  | { phase: 'uploading'; progress: number }
  | { phase: 'failed'; message: string }
  | { phase: 'done' };

type Listener = (state: UploadState) => void;

const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];

export class UploadQueue {
  private readonly states = new Map<string, UploadState>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly queue: string[] = [];
  private running = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  /** `resume`: send the files an earlier visit left waiting (a reload while offline). */
  constructor(
    private readonly client: FileClient,
    readonly pending: PendingFiles,
    resume = true,
  ) {
    if (resume) void pending.ids().then((ids) => ids.forEach((id) => this.enqueue(id)), () => {});
  }

  /** Keep `blob` (whose SHA-256 is `id`) until it is uploaded, and upload it. */
  async add(id: string, blob: Blob): Promise<void> {
    if (this.states.get(id)?.phase === 'done') return;
    await this.pending.put(id, blob);
    this.enqueue(id);
  }

  /** The upload state of `id`; undefined for an image this browser is not uploading. */
  state(id: string): UploadState | undefined {
    return this.states.get(id);
  }

  /** Listen to `id`'s state; returns the function that stops listening. */
  watch(id: string, listener: Listener): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Try a failed upload again. */
  retry(id: string): void {
    if (this.states.get(id)?.phase === 'failed') this.enqueue(id);
  }

  /** Give up on `id`: forget its bytes (the image was removed). */
  async discard(id: string): Promise<void> {
    const index = this.queue.indexOf(id);
    if (index >= 0) this.queue.splice(index, 1);
    this.states.delete(id);
    await this.pending.delete(id);
  }

  /** The connection is back: try what waits now instead of at the end of the backoff. */
  resume(): void {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.attempt = 0;
    void this.run();
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.retryTimer);
    this.listeners.clear();
    this.pending.close();
  }

  private enqueue(id: string): void {
    if (!this.queue.includes(id)) this.queue.push(id);
    if (this.states.get(id)?.phase !== 'uploading') this.set(id, { phase: 'waiting' });
    void this.run();
  }

  private set(id: string, state: UploadState): void {
    this.states.set(id, state);
    for (const listener of this.listeners.get(id) ?? []) listener(state);
  }

  private async run(): Promise<void> {
    if (this.running || this.retryTimer !== undefined || this.destroyed) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.destroyed) {
        const id = this.queue[0]!;
        const blob = await this.pending.get(id);
        if (!blob) {
          this.queue.shift();
          continue;
        }
        this.set(id, { phase: 'uploading', progress: 0 });
        try {
          await this.client.upload(blob, (progress) => this.set(id, { phase: 'uploading', progress }));
        } catch (error) {
          const failure = error instanceof FileRequestError ? error : new FileRequestError(String(error), 0, true);
          if (failure.retry) {
            this.set(id, { phase: 'waiting' });
            this.retryTimer = setTimeout(() => {
              this.retryTimer = undefined;
              void this.run();
            }, BACKOFF_MS[Math.min(this.attempt++, BACKOFF_MS.length - 1)]);
            return;
          }
          this.queue.shift();
          this.set(id, { phase: 'failed', message: failure.message });
          continue;
        }
        this.attempt = 0;
        this.queue.shift();
        await this.pending.delete(id);
        this.set(id, { phase: 'done' });
      }
    } finally {
      this.running = false;
    }
  }
}
