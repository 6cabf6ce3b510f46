import type { Schema } from 'prosemirror-model';
import { Plugin, type PluginSpec, type Transaction } from 'prosemirror-state';
import { DecorationSet, type EditorView } from 'prosemirror-view';
import { yXmlFragmentToProseMirrorRootNode, ySyncPluginKey } from 'y-prosemirror';
import type * as Y from 'yjs';
import { logToConsole, type OnError } from './editorError.js';

/**
 * How the view and the Yjs document got out of step, when they did:
 * - `stale`: a change from the document (someone else's typing) could not be shown. Until the
 *   view shows the document again, local edits are refused: y-prosemirror writes the whole view
 *   back to Yjs on each edit, so typing into a stale view would delete what it does not show.
 * - `unwritten`: the view holds an edit of this person that could not be written to the
 *   document. The view is frozen as it is (no edits, no incoming changes drawn over it), so that
 *   the words stay on screen to be copied.
 */
export type BindingFailure = 'stale' | 'unwritten';

/**
 * Keeps a failing plugin from costing anyone their words. The y-prosemirror binding lives inside
 * ProseMirror's update cycle: one exception in any plugin's state or view update, and the view
 * stops showing the document, or stops writing to it, while everything else carries on.
 *
 * - {@link isolate} wraps a plugin so that its view's errors are reported instead of thrown:
 *   the other plugins' views still update (the sync plugin comes first and writes each edit to
 *   Yjs before any later view runs).
 * - {@link guardDecorations} does the same for a decoration plugin's state (the cursor plugin):
 *   when drawing fails, nothing is drawn, and the change it came with is still applied.
 * - {@link dispatch} is the editor's `dispatchTransaction`: after any failure it compares the
 *   view with the document, and reports a {@link BindingFailure} until they agree again, so the
 *   save status can say so instead of "saved" and the page can ask before it is closed.
 */
export class BindingGuard {
  private failures = 0;
  private failure: BindingFailure | undefined;

  /**
   * @param onChange called with the failure when the view and the document part, and with
   *   undefined when they agree again
   * @param onError told of every plugin failure and of the parting (the console by default)
   */
  constructor(
    private readonly fragment: Y.XmlFragment,
    private readonly schema: Schema,
    private readonly onChange: (failure: BindingFailure | undefined) => void,
    private readonly onError: OnError = logToConsole,
  ) {}

  /** The current failure, if any. */
  get current(): BindingFailure | undefined {
    return this.failure;
  }

  /** False while local edits must be refused (pass it to the view's `editable`). */
  get editable(): boolean {
    return this.failure === undefined;
  }

  /** An error caught inside a plugin: reported, and the next check compares view and document. */
  readonly report = (error: unknown, where: string): void => {
    this.failures++;
    this.onError({ kind: 'plugin', message: `${where} failed`, cause: error });
  };

  /** Apply `tr` to `view`, catching any failure; then check that the view still shows the document. */
  dispatch(view: EditorView, tr: Transaction): void {
    const fromDocument = isFromDocument(tr);
    if (this.failure) {
      // No local edit reaches a view that is out of step (the toolbar and the keymap too: they
      // do not ask `editable`), and a frozen view keeps this person's unwritten words on screen.
      if (!fromDocument && tr.docChanged) return;
      if (this.failure === 'unwritten' && fromDocument) return;
    }
    const before = this.failures;
    try {
      view.updateState(view.state.apply(tr));
    } catch (error) {
      this.report(error, fromDocument ? 'showing a change to the document' : 'applying an edit');
    }
    if (this.failures === before && this.failure === undefined) return;
    this.check(view, fromDocument);
  }

  /** Wrap `plugin` so that errors of its view are reported, not thrown. */
  isolate(plugin: Plugin): Plugin {
    const makeView = plugin.spec.view;
    if (!makeView) return plugin;
    const name = pluginName(plugin);
    return rebuild(plugin, {
      view: (view) => {
        let inner: ReturnType<typeof makeView>;
        try {
          inner = makeView(view);
        } catch (error) {
          this.report(error, `setting up ${name}`);
          return {};
        }
        return {
          update: (v, previous) => {
            try {
              inner.update?.(v, previous);
            } catch (error) {
              this.report(error, `updating ${name}`);
            }
          },
          destroy: () => {
            try {
              inner.destroy?.();
            } catch (error) {
              this.report(error, `removing ${name}`);
            }
          },
        };
      },
    });
  }

  /**
   * Wrap a decoration plugin (the cursor plugin) so that when computing its decorations throws,
   * it draws nothing and the transaction still applies. Its view still needs {@link isolate}.
   */
  guardDecorations(plugin: Plugin<DecorationSet>): Plugin<DecorationSet> {
    const state = plugin.spec.state;
    if (!state) return plugin;
    const name = pluginName(plugin);
    const guarded: Plugin<DecorationSet> = rebuild(plugin, {
      state: {
        init: (config, instance): DecorationSet => {
          try {
            return state.init.call(guarded, config, instance);
          } catch (error) {
            this.report(error, `drawing ${name}`);
            return DecorationSet.empty;
          }
        },
        apply: (tr, value, oldState, newState): DecorationSet => {
          try {
            return state.apply.call(guarded, tr, value, oldState, newState);
          } catch (error) {
            this.report(error, `drawing ${name}`);
            return DecorationSet.empty;
          }
        },
      },
    });
    return guarded;
  }

  private check(view: EditorView, fromDocument: boolean): void {
    let inStep: boolean;
    try {
      inStep = yXmlFragmentToProseMirrorRootNode(this.fragment, this.schema).eq(view.state.doc);
    } catch {
      inStep = false;
    }
    const next: BindingFailure | undefined = inStep ? undefined : (this.failure ?? (fromDocument ? 'stale' : 'unwritten'));
    if (next === this.failure) return;
    this.failure = next;
    if (next) this.onError({ kind: 'out-of-step', message: `the text on screen and the document are out of step (${next}); edits are paused` });
    // Re-read `editable`.
    if (!view.isDestroyed) view.setProps({});
    this.onChange(next);
  }
}

/** True for a transaction y-prosemirror made to show a change of the Yjs document. */
function isFromDocument(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return !!meta?.isChangeOrigin;
}

/** A plugin like `plugin` (same key, so `getState` still finds its state) with parts of its spec replaced. */
function rebuild<T>(plugin: Plugin<T>, replace: Partial<PluginSpec<T>>): Plugin<T> {
  return new Plugin<T>({ ...plugin.spec, ...replace });
}

function pluginName(plugin: Plugin): string {
  const key = (plugin as unknown as { key?: string }).key;
  return `the editor plugin ${key ?? 'without a key'}`;
}
