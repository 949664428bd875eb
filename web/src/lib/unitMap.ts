// Node thumbnails: a unit's values over a small grid, sent as byte codes (value = code / 127.5
// − 1), painted with the colour scale. One lookup table turns a code into a colour.

import { colorOf } from './colorScale';

/** RGB of each of the 256 codes, three bytes per code. */
export const CODE_COLORS: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  for (let c = 0; c < 256; c++) lut.set(colorOf(c / 127.5 - 1), 3 * c);
  return lut;
})();

/** The value a code stands for. */
export function decodeUnit(code: number): number {
  return code / 127.5 - 1;
}

/**
 * Paints `size`² codes (row-major, row 0 at the top) into an RGBA image at (x0, y0); `alpha`
 * below 255 fades the tile (a pruned unit), `grey` drains its colour.
 */
export function paintCodes(
  codes: Uint8Array,
  size: number,
  image: { data: Uint8ClampedArray; width: number },
  x0 = 0,
  y0 = 0,
  grey = false,
): void {
  const { data, width } = image;
  for (let row = 0; row < size; row++) {
    let o = 4 * ((y0 + row) * width + x0);
    for (let col = 0; col < size; col++, o += 4) {
      const c = 3 * codes[row * size + col];
      if (grey) {
        const v = Math.round((CODE_COLORS[c] + CODE_COLORS[c + 1] + CODE_COLORS[c + 2]) / 3);
        data[o] = data[o + 1] = data[o + 2] = 200 + Math.round((v - 200) * 0.3);
      } else {
        data[o] = CODE_COLORS[c];
        data[o + 1] = CODE_COLORS[c + 1];
        data[o + 2] = CODE_COLORS[c + 2];
      }
      data[o + 3] = 255;
    }
  }
}

/** Draws one node's map on its own canvas, whose backing size is the map's. */
export function drawUnitCanvas(canvas: HTMLCanvasElement, codes: Uint8Array, size: number, grey = false): void {
  if (canvas.width !== size || canvas.height !== size) {
    canvas.width = size;
    canvas.height = size;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(size, size);
  paintCodes(codes, size, image, 0, 0, grey);
  ctx.putImageData(image, 0, 0);
}
