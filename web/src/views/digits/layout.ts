// Where each unit of each stage sits in the scene. Stages go left to right along x. In 3D a
// stage's units stand in the y-z plane (a wall facing the input side, seen from an angle); in
// the flattened 2D layout they lie in the x-y plane, side by side, seen straight on. Dense
// stages are square grids of units, conv and pool stages a grid of image planes (one per
// channel), the output a column. Every stage is scaled to about the same height, so that a
// 28 × 28 input, eight feature maps and ten output units all read at one zoom.

import type { StageInfo } from './messages';

export type LayoutMode = '3d' | '2d';

/** How far to the side the 3D camera looks from, off the network's axis (radians). */
export const VIEW_AZIMUTH = (40 * Math.PI) / 180;
const PLANE_GAP = 1.12; // a plane's pitch in the grid of planes, in plane sides
const IMAGE_HEIGHT = 14; // the input plane's side, and a unit grid's height at most
const MAPS_HEIGHT = 18; // the height of a stage's grid of feature maps
const UNIT_PITCH = 1.2; // the spacing of dense units at most
const OUTPUT_PITCH = 1.3;

export interface StageLayout {
  kind: StageInfo['kind'];
  x: number; // the stage's position along the network
  planes: number; // image planes (channels); 0 for unit grids
  columns: number; // planes a row of the grid of planes (planes > 0)
  side: number; // pixels a side (planes) or units a row (grids)
  rows: number; // rows of units (grids) or pixels (planes)
  units: number;
  pitch: number; // the spacing of pixels (planes) or units (grids)
  width: number; // the stage's extent across
  height: number; // and up
}

function measure(s: StageInfo): Omit<StageLayout, 'x'> {
  const units = s.shape.reduce((a, b) => a * b, 1);
  if (s.shape.length === 3) {
    const [planes, rows, side] = s.shape;
    // Narrow grids of planes (two high for one wide), so a stage is tall rather than wide.
    const columns = Math.max(1, Math.ceil(Math.sqrt(planes / 2)));
    const gridRows = Math.ceil(planes / columns);
    const height = planes === 1 ? IMAGE_HEIGHT : MAPS_HEIGHT;
    const pitch = height / (gridRows * PLANE_GAP * rows - (PLANE_GAP - 1) * rows);
    return { kind: s.kind, planes, columns, side, rows, units, pitch, width: columns * side * pitch * PLANE_GAP, height };
  }
  if (s.kind === 'output') {
    return { kind: s.kind, planes: 0, columns: 0, side: 1, rows: units, units, pitch: OUTPUT_PITCH, width: OUTPUT_PITCH, height: units * OUTPUT_PITCH };
  }
  const side = Math.ceil(Math.sqrt(units));
  const rows = Math.ceil(units / side);
  const pitch = Math.min(UNIT_PITCH, IMAGE_HEIGHT / rows);
  return { kind: s.kind, planes: 0, columns: 0, side, rows, units, pitch, width: side * pitch, height: rows * pitch };
}

export function stageLayouts(stages: StageInfo[], mode: LayoutMode): StageLayout[] {
  let x = 0;
  let previousWidth = 0;
  // Seen from VIEW_AZIMUTH, a wall of width w spans w·cos(azimuth) on the screen and the gap g
  // between two walls g·sin(azimuth): the gap keeps neighbouring walls from covering each other.
  const spread = mode === '3d' ? Math.cos(VIEW_AZIMUTH) / Math.sin(VIEW_AZIMUTH) : 1;
  return stages.map((s, i) => {
    const m = measure(s);
    if (i > 0) x += spread * (previousWidth + m.width) / 2 + 5;
    previousWidth = m.width;
    return { ...m, x };
  });
}

/** The centre of image plane `c` of a stage, offsets across and up. */
export function planeOffset(l: StageLayout, c: number): [number, number] {
  const col = c % l.columns;
  const row = Math.floor(c / l.columns);
  const gridRows = Math.ceil(l.planes / l.columns);
  const stepX = l.side * l.pitch * PLANE_GAP;
  const stepY = l.rows * l.pitch * PLANE_GAP;
  return [(col - (l.columns - 1) / 2) * stepX, ((gridRows - 1) / 2 - row) * stepY];
}

/** World position of unit `i` (flattened index) of a stage. */
export function unitPosition(l: StageLayout, i: number, mode: LayoutMode): [number, number, number] {
  let across: number;
  let up: number;
  if (l.planes > 0) {
    const per = l.side * l.rows;
    const c = Math.floor(i / per);
    const y = Math.floor((i % per) / l.side);
    const x = i % l.side;
    const [ox, oy] = planeOffset(l, c);
    across = ox + (x - (l.side - 1) / 2) * l.pitch;
    up = oy + ((l.rows - 1) / 2 - y) * l.pitch;
  } else {
    const x = i % l.side;
    const y = Math.floor(i / l.side);
    across = (x - (l.side - 1) / 2) * l.pitch;
    up = ((l.rows - 1) / 2 - y) * l.pitch;
  }
  return stagePoint(l, across, up, mode);
}

/** A stage's position in world space from its offsets across and up. */
export function stagePoint(l: StageLayout, across: number, up: number, mode: LayoutMode): [number, number, number] {
  return mode === '3d' ? [l.x, up, across] : [l.x + across, up, 0];
}
