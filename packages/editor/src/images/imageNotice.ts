/**
 * A line above the text that says what happened to images that could not be added or uploaded
 * ("“diagram.svg” was not added: not a PNG, JPEG, GIF or WebP image"). Read out by screen readers;
 * goes away by itself after a while, or with its Close button.
 */
const SHOW_MS = 12_000;

export class ImageNotice {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(doc: Document) {
    this.element = doc.createElement('div');
    this.element.className = 'tandem-image-notice';
    this.element.setAttribute('role', 'status');
    this.element.hidden = true;
    this.text = doc.createElement('span');
    const close = doc.createElement('button');
    close.type = 'button';
    close.className = 'tandem-image-notice-close';
    close.textContent = 'Close';
    close.addEventListener('click', () => this.hide());
    this.element.append(this.text, close);
  }

  /** Show `lines` (joined), replacing what was shown. */
  show(lines: string[]): void {
    if (lines.length === 0) return;
    this.text.textContent = lines.join(' ');
    this.element.hidden = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.hide(), SHOW_MS);
  }

  hide(): void {
    clearTimeout(this.timer);
    this.element.hidden = true;
  }

  destroy(): void {
    clearTimeout(this.timer);
    this.element.remove();
  }
}
