/**
 * What an image file is, judged by its bytes alone — never by its name or the Content-Type it came
 * with. The browser checks before it uploads, the sync server again before it stores, and the
 * DOCX export needs the pixel size. Only the four allowed formats are recognised (image-size's
 * detectors for PNG, JPEG, GIF and WebP): an SVG, a BMP or anything else is not an image here.
 */
import { GIF } from 'image-size/types/gif';
import { JPG } from 'image-size/types/jpg';
import { PNG } from 'image-size/types/png';
import { WEBP } from 'image-size/types/webp';
import type { ImageType } from '@tandem/protocol';

/** An allowed image, as read from its bytes. */
export interface ImageInfo {
  type: ImageType;
  /** Pixels, as displayed (a JPEG's EXIF rotation applied). */
  width: number;
  height: number;
}

const DETECTORS = [
  { type: 'image/png', detector: PNG },
  { type: 'image/jpeg', detector: JPG },
  { type: 'image/gif', detector: GIF },
  { type: 'image/webp', detector: WEBP },
] as const;

/** The usual file extension of each type (downloads, DOCX parts). */
export const IMAGE_EXTENSIONS: Record<ImageType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/**
 * The image's type and size when `bytes` are a PNG, JPEG, GIF or WebP whose header can be read;
 * undefined for anything else (other formats, SVG, text, a truncated or corrupt header).
 */
export function readImageInfo(bytes: Uint8Array): ImageInfo | undefined {
  for (const { type, detector } of DETECTORS) {
    try {
      if (!detector.validate(bytes)) continue;
      const size = detector.calculate(bytes);
      if (!(size.width > 0 && size.height > 0)) return undefined;
      // EXIF orientations 5–8 turn the picture a quarter: width and height swap on screen.
      const turned = (size.orientation ?? 0) >= 5;
      return { type, width: turned ? size.height : size.width, height: turned ? size.width : size.height };
    } catch {
      return undefined; // a header that starts right and then breaks
    }
  }
  return undefined;
}
