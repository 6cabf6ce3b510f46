import type { Access } from '@tandem/protocol';

/** What a document page may do, as decided by its server component (serializable props). */
export interface DocumentAccess {
  /** `read`: the view-only page. */
  mode: Access;
  /** The link's key, in auth mode: the editor trades it for tokens at `/api/token`. */
  key?: string;
  /** Share links with their keys (auth mode, edit page only). Paths; the page adds its origin. */
  links?: { edit: string; view: string };
}
