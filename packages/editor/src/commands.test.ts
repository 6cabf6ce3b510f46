// @vitest-environment jsdom
import { TextSelection } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { afterEach, describe, expect, it } from 'vitest';
import { linkRefusal, toggleLink } from './commands.js';
import { schema } from '@tandem/document';
import { localView, type } from './testing/view.js';

let view: EditorView | undefined;
afterEach(() => view?.destroy());

/** A view with "Tandem" selected, and a prompt that answers from `answers` and records what it was asked. */
function selectedWord(answers: Array<string | null>) {
  view = localView().view;
  type(view, 'Tandem');
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, 1, 7)));
  const asked: Array<{ message: string; initial: string }> = [];
  const prompt = (message: string, initial: string) => {
    asked.push({ message, initial });
    return answers.shift() ?? null;
  };
  const run = () => toggleLink(schema.marks.link!, prompt)(view!.state, view!.dispatch);
  const href = () => {
    let found: string | undefined;
    view!.state.doc.descendants((node) => {
      found ??= node.marks.find((m) => m.type === schema.marks.link)?.attrs.href as string | undefined;
    });
    return found;
  };
  return { asked, run, href };
}

describe('the link prompt', () => {
  it('says why it refuses a javascript: link and asks again with it, so that it can be corrected', () => {
    const t = selectedWord(['javascript:alert(1)', 'example.com']);
    t.run();
    expect(t.asked[0]).toEqual({ message: 'Link to', initial: 'https://' });
    expect(t.asked[1]!.message).toBe(`${linkRefusal('javascript:alert(1)')}\n\nLink to`);
    expect(t.asked[1]!.message).toContain('"javascript:" links are not allowed');
    expect(t.asked[1]!.initial).toBe('javascript:alert(1)');
    expect(t.href()).toBe('https://example.com');
  });

  it('stops when the refused answer comes back unchanged, or on cancel, linking nothing', () => {
    const same = selectedWord(['javascript:x', 'javascript:x', 'https://never.asked']);
    same.run();
    expect(same.asked).toHaveLength(2);
    expect(same.href()).toBeUndefined();
    view?.destroy();
    const cancelled = selectedWord(['data:text/html,hi', null]);
    cancelled.run();
    expect(cancelled.asked).toHaveLength(2);
    expect(cancelled.asked[1]!.message).toContain('"data:" links are not allowed');
    expect(cancelled.href()).toBeUndefined();
  });

  it('names no scheme when the refused link hides it', () => {
    expect(linkRefusal('java\tscript:alert(1)')).toContain('"javascript:" links are not allowed');
    expect(linkRefusal(' vbscript:x')).toContain('"vbscript:"');
    expect(linkRefusal('weird stuff:')).toMatch(/^This link is not allowed/);
  });
});
