import type { Page } from '@playwright/test';

/**
 * Paste a PNG the way a screenshot arrives: a `File` in the paste event's `DataTransfer`. The
 * picture is `width`×`height` pixels of one colour, drawn in the page, so its colour makes its hash.
 */
export async function pastePng(page: Page, color: string, { name = 'screenshot.png', width = 40, height = 30 } = {}): Promise<void> {
  await page.evaluate(
    async ({ fill, fileName, w, h }) => {
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const context = canvas.getContext('2d')!;
      context.fillStyle = fill;
      context.fillRect(0, 0, w, h);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      const data = new DataTransfer();
      data.items.add(new File([blob], fileName, { type: 'image/png' }));
      document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { fill: color, fileName: name, w: width, h: height },
  );
}
