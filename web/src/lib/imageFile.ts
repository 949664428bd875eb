// An image file from the user's disk as the grey values the server prepares (a drawing, an
// image to explain): decoded by the browser, scaled down to a largest side, on white.

/**
 * Grey values in [0, 1] of an RGBA image: its luminance (Rec. 709's weights, as libpng's grey
 * conversion for `netlens explain --image` uses), rounded to 3 digits as the pad's values are.
 */
export function greyValues(rgba: Uint8ClampedArray, width: number, height: number): number[] {
  const out = new Array<number>(width * height);
  for (let i = 0; i < width * height; i++) {
    const y = (0.2126 * rgba[4 * i] + 0.7152 * rgba[4 * i + 1] + 0.0722 * rgba[4 * i + 2]) / 255;
    out[i] = Math.round(y * 1000) / 1000;
  }
  return out;
}

export interface GreyImage {
  width: number;
  height: number;
  pixels: number[];
}

/** An image file (PNG, JPEG, whatever the browser decodes) as grey values, at most `maxSide` px a side (its aspect kept). */
export async function imageFileToGrey(file: File, maxSide: number): Promise<GreyImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name} is not an image this browser can read: use a PNG, JPEG, GIF, WebP or BMP file`);
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff'; // a transparent image on white, as the server reads a PNG
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return { width, height, pixels: greyValues(ctx.getImageData(0, 0, width, height).data, width, height) };
}
