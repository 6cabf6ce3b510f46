import { WebSocket as NodeWebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { expect, test, type Person } from '../support/fixtures.js';

/**
 * The title is shared text: two people editing it at once both keep their words, and the caret of
 * someone typing stays where they type while the other edits.
 */

const title = (p: Person) => p.page.getByTestId('title');
const caret = (p: Person) => title(p).evaluate((el) => [(el as HTMLInputElement).selectionStart, (el as HTMLInputElement).selectionEnd]);

/** Put the caret in the title at `offset` (from the start). */
async function caretAt(p: Person, offset: number): Promise<void> {
  await title(p).click();
  await title(p).evaluate((el, at) => (el as HTMLInputElement).setSelectionRange(at, at), offset);
}

/** What the sync server lists as the document's title. */
async function listedTitle(syncUrl: string, docName: string): Promise<string | null | undefined> {
  const response = await fetch(`${syncUrl.replace(/^ws/, 'http')}/api/docs`);
  const { docs } = (await response.json()) as { docs: Array<{ name: string; title: string | null }> };
  return docs.find((d) => d.name === docName)?.title;
}

/** Ada types "Team " at the start of "Roadmap" while Bob types " 2025 Q3" at its end, at once; both end with both. */
async function renameAtBothEnds(ada: Person, bob: Person): Promise<void> {
  await caretAt(ada, 0);
  await caretAt(bob, 'Roadmap'.length);
  // Both type at once; every keystroke of each reaches the other while they type.
  await Promise.all([ada.page.keyboard.type('Team ', { delay: 70 }), bob.page.keyboard.type(' 2025 Q3', { delay: 45 })]);
  await expect(title(ada)).toHaveValue('Team Roadmap 2025 Q3');
  await expect(title(bob)).toHaveValue('Team Roadmap 2025 Q3');
}

test('two people editing the title at once, one at the start and one at the end, both keep their words', async ({ person, docName, stack }) => {
  const ada = await person('Ada');
  const bob = await person('Bob');
  await ada.open(docName);
  await title(ada).fill('Roadmap');
  await bob.open(docName);
  await expect(title(bob)).toHaveValue('Roadmap');

  await renameAtBothEnds(ada, bob);
  // Each caret is still where its owner typed.
  expect(await caret(ada)).toEqual(['Team '.length, 'Team '.length]);
  expect(await caret(bob)).toEqual(['Team Roadmap 2025 Q3'.length, 'Team Roadmap 2025 Q3'.length]);
  await expect(ada.page).toHaveTitle('Team Roadmap 2025 Q3 · Tandem');
  await expect.poll(() => listedTitle(stack.syncUrl, docName), { timeout: 5000 }).toBe('Team Roadmap 2025 Q3');
});

test("the caret of someone typing in the middle of the title stays where they type while another edits before and after it", async ({ person, docName }) => {
  const ada = await person('Ada');
  const bob = await person('Bob');
  await ada.open(docName);
  await title(ada).fill('Team Roadmap');
  await bob.open(docName);
  await expect(title(bob)).toHaveValue('Team Roadmap');

  await caretAt(ada, 'Team '.length);
  await caretAt(bob, 0);
  await Promise.all([
    ada.page.keyboard.type('Product ', { delay: 60 }),
    (async () => {
      await bob.page.keyboard.type('Big ', { delay: 45 });
      await bob.page.keyboard.press('End');
      await bob.page.keyboard.type(' 2025', { delay: 45 });
    })(),
  ]);

  await expect(title(ada)).toHaveValue('Big Team Product Roadmap 2025');
  await expect(title(bob)).toHaveValue('Big Team Product Roadmap 2025');
  expect(await caret(ada)).toEqual(['Big Team Product '.length, 'Big Team Product '.length]);
  // A selection is kept too: Ada selects "Roadmap" while Bob deletes "Big ".
  await title(ada).evaluate((el, at) => (el as HTMLInputElement).setSelectionRange(at, at + 'Roadmap'.length), 'Big Team Product '.length);
  await caretAt(bob, 'Big '.length);
  for (let i = 0; i < 4; i++) await bob.page.keyboard.press('Backspace');
  await expect(title(ada)).toHaveValue('Team Product Roadmap 2025');
  expect(await caret(ada)).toEqual(['Team Product '.length, 'Team Product Roadmap'.length]);
});

test('a title stored the old way (a string in the meta map) is kept, and two people converting it at once do not duplicate it', async ({ person, docName, stack }) => {
  // A document written before the title became shared text: the title is a plain string.
  const legacy = new Y.Doc();
  const provider = new WebsocketProvider(stack.syncUrl, docName, legacy, {
    WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
    disableBc: true,
  });
  try {
    await expect.poll(() => provider.synced, { timeout: 5000 }).toBe(true);
    legacy.getMap('meta').set('title', 'Roadmap');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Body')]);
    legacy.getXmlFragment('prosemirror').insert(0, [paragraph]);
    await expect.poll(() => listedTitle(stack.syncUrl, docName), { timeout: 5000 }).toBe('Roadmap');
  } finally {
    provider.destroy();
    legacy.destroy();
  }

  const ada = await person('Ada');
  const bob = await person('Bob');
  await ada.open(docName);
  await bob.open(docName);
  await expect(title(ada)).toHaveValue('Roadmap');
  await expect(title(bob)).toHaveValue('Roadmap');

  // Their first keystrokes convert the old title, both at the same moment.
  await renameAtBothEnds(ada, bob);
  await expect.poll(() => listedTitle(stack.syncUrl, docName), { timeout: 5000 }).toBe('Team Roadmap 2025 Q3');
  // Someone arriving later sees the same.
  const cy = await person('Cy');
  await cy.open(docName);
  await expect(title(cy)).toHaveValue('Team Roadmap 2025 Q3');
  await expect(cy.editor).toHaveText('Body');
});
