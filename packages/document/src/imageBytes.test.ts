import { describe, expect, it } from 'vitest';
import { readImageInfo } from './imageBytes.js';
import { BMP_HEADER, GIF_1X1, JPEG_3X2, PNG_3X2, SVG, WEBP_3X2 } from './test-support/images.js';

describe('images are judged by their bytes', () => {
  it('recognises PNG, JPEG, GIF and WebP, with their pixel size', () => {
    expect(readImageInfo(PNG_3X2)).toEqual({ type: 'image/png', width: 3, height: 2 });
    expect(readImageInfo(JPEG_3X2)).toEqual({ type: 'image/jpeg', width: 3, height: 2 });
    expect(readImageInfo(GIF_1X1)).toEqual({ type: 'image/gif', width: 1, height: 1 });
    expect(readImageInfo(WEBP_3X2)).toEqual({ type: 'image/webp', width: 3, height: 2 });
  });

  it('refuses SVG, BMP, text, empty and random bytes', () => {
    expect(readImageInfo(SVG)).toBeUndefined();
    expect(readImageInfo(BMP_HEADER)).toBeUndefined();
    expect(readImageInfo(new TextEncoder().encode('hello, I am image.png'))).toBeUndefined();
    expect(readImageInfo(new Uint8Array(0))).toBeUndefined();
    expect(readImageInfo(Uint8Array.from({ length: 256 }, (_, i) => (i * 37) % 256))).toBeUndefined();
  });

  it('refuses a PNG signature followed by garbage, and a truncated JPEG', () => {
    const fakePng = new Uint8Array([...PNG_3X2.subarray(0, 8), ...new TextEncoder().encode('<script>alert(1)</script>')]);
    expect(readImageInfo(fakePng)).toBeUndefined();
    expect(readImageInfo(JPEG_3X2.subarray(0, 40))).toBeUndefined();
  });
});
