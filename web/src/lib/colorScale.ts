// TensorFlow Playground's diverging colour scale: -1 orange, 0 near white, +1 blue,
// linear in RGB between those stops, clamped outside [-1, 1].

export type RGB = [number, number, number];

export const NEGATIVE: RGB = [0xf5, 0x93, 0x22]; // #f59322 at -1
export const NEUTRAL: RGB = [0xe8, 0xea, 0xeb]; // #e8eaeb at 0
export const POSITIVE: RGB = [0x08, 0x77, 0xbd]; // #0877bd at +1

/** Colour of a value in [-1, 1]; values outside are clamped, NaN is drawn neutral. */
export function colorOf(value: number): RGB {
  if (Number.isNaN(value)) return [...NEUTRAL];
  const v = Math.max(-1, Math.min(1, value));
  const [from, to, t] = v < 0 ? [NEUTRAL, NEGATIVE, -v] : [NEUTRAL, POSITIVE, v];
  return [
    Math.round(from[0] + (to[0] - from[0]) * t),
    Math.round(from[1] + (to[1] - from[1]) * t),
    Math.round(from[2] + (to[2] - from[2]) * t),
  ];
}

/** The same colour as a CSS string, "rgb(r, g, b)". */
export function cssColorOf(value: number): string {
  const [r, g, b] = colorOf(value);
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * One colour per class for more than two classes: Tableau 10, in the order and values of the
 * server's palette (src/export/colour.cpp), so that the live map, the points, the Timeline's
 * server-drawn maps and the GIF show each class in the same colour.
 */
export const CLASS_COLORS: RGB[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];

/** A class's colour, "rgb(r, g, b)". */
export function cssClassColor(c: number): string {
  const [r, g, b] = CLASS_COLORS[((Math.round(c) % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
  return `rgb(${r}, ${g}, ${b})`;
}
