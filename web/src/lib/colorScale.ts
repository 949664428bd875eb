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

/** One colour per class for more than two classes (Tableau 10, a qualitative palette). */
export const CLASS_COLORS: RGB[] = [
  [0x4e, 0x79, 0xa7], [0xf2, 0x8e, 0x2b], [0xe1, 0x57, 0x59], [0x76, 0xb7, 0xb2], [0x59, 0xa1, 0x4f],
  [0xed, 0xc9, 0x48], [0xb0, 0x7a, 0xa1], [0xff, 0x9d, 0xa7], [0x9c, 0x75, 0x5f], [0xba, 0xb0, 0xac],
];

/** A class's colour, "rgb(r, g, b)". */
export function cssClassColor(c: number): string {
  const [r, g, b] = CLASS_COLORS[((Math.round(c) % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
  return `rgb(${r}, ${g}, ${b})`;
}
