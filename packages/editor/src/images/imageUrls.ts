/**
 * Where an image's bytes are shown from: the copy waiting in this browser for its upload (so a
 * pasted picture shows at once, offline too), else the sync server, fetched with the editor's token
 * and shown from an object URL. The document itself only ever holds `tandem-file:<id>`.
 */
import type { FileClient } from './fileClient.js';
import type { PendingFiles } from './pendingFiles.js';

export class ImageUrls {
  private readonly urls = new Map<string, Promise<string>>();
  private readonly made = new Set<string>();

  constructor(
    private readonly client: FileClient,
    private readonly pending: PendingFiles,
  ) {}

  /** An object URL for image `id`; rejects with the client's error (a 404: not uploaded yet). */
  url(id: string): Promise<string> {
    let url = this.urls.get(id);
    if (!url) {
      url = this.load(id);
      this.urls.set(id, url);
      // A failure is not kept: the next call asks again (the upload may have arrived).
      url.catch(() => this.urls.delete(id));
    }
    return url;
  }

  private async load(id: string): Promise<string> {
    const blob = (await this.pending.get(id).catch(() => undefined)) ?? (await this.client.download(id));
    const url = URL.createObjectURL(blob);
    this.made.add(url);
    return url;
  }

  destroy(): void {
    for (const url of this.made) URL.revokeObjectURL(url);
    this.made.clear();
    this.urls.clear();
  }
}
