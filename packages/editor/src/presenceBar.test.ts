// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { buildCursor } from './cursors.js';
import { renderAvatars } from './presenceBar.js';

const ada = { clientId: 1, name: 'Ada', color: '#3e63dd', initials: 'A', isSelf: true };
const bo = { clientId: 2, name: 'Bo', color: '#e5484d', initials: 'B', isSelf: false };

describe('presence avatars', () => {
  it('are a button for each other person, which brings their cursor into view', () => {
    const editor = document.createElement('div');
    editor.className = 'tandem-editor';
    const list = document.createElement('div');
    const text = document.createElement('p');
    const cursor = buildCursor({ name: 'Bo', color: '#e5484d' }, 2);
    text.append(cursor);
    editor.append(list, text);
    let scrolled: Element | undefined;
    cursor.scrollIntoView = function (this: Element) {
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- records which element was asked to scroll
      scrolled = this;
    };
    renderAvatars(list, [ada, bo]);

    expect(list.querySelector('[data-self="true"]')!.tagName).toBe('SPAN');
    const button = list.querySelector<HTMLButtonElement>('button.tandem-avatar')!;
    expect(button.getAttribute('aria-label')).toBe('Bo: show their cursor');
    button.click();
    expect(scrolled).toBe(cursor);
    expect(cursor.classList.contains('tandem-cursor-flash')).toBe(true);
  });

  it('say so when the person has no cursor in the text', () => {
    const list = document.createElement('div');
    document.body.append(list);
    renderAvatars(list, [ada, bo]);
    const button = list.querySelector<HTMLButtonElement>('button.tandem-avatar')!;
    button.click();
    expect(button.title).toBe('Bo (not in the text right now)');
  });
});
