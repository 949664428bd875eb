// Where each unit of each stage sits in the scene. Stages go left to right along x. In 3D a
// stage's units stand in the y-z plane (a wall of units seen from an angle); in the flattened
// 2D layout they lie in the x-y plane, side by side, seen straight on. Dense stages are square
// grids of units; conv and pool stages are one image plane per channel; the output is a column.

import type { StageInfo } from './messages';

export type LayoutMode = '3d' | '2d';

export const UNIT = 0.32; // the spacing of units (and pixels of image planes)
const STAGE_GAP = 12;

export interface StageLayout {
  kind: StageInfo['kind'];
  x: number; // the stage's position along the network
  planes: number; // image planes (channels); 0 for unit grids
  side: number; // pixels a side (planes) or units a row (grids)
  rows: number; // rows of units (grids) or pixels (planes)
  units: number;
  width: number; // the stage's extent across
}

export function stageLayouts(stages: StageInfo[], mode: LayoutMode): StageLayout[] {
  let x = 0;
  let previousWidth = 0;
  return stages.map((s, i) => {
    const spatial = s.shape.length === 3;
    const units = s.shape.reduce((a, b) => a * b, 1);
    const side = spatial ? s.shape[2] : s.kind === 'output' ? 1 : Math.ceil(Math.sqrt(units));
    const rows = spatial ? s.shape[1] : s.kind === 'output' ? units : Math.ceil(units / side);
    const planes = spatial ? s.shape[0] : 0;
    const width = planes > 0 ? Math.ceil(Math.sqrt(planes)) * side * UNIT * 1.15 : side * UNIT * 1.5;
    // In 2D the stages stand side by side, so each takes its own width; in 3D they face the
    // viewer edge-on and a fixed gap suffices.
    if (i > 0) x += mode === '2d' ? previousWidth / 2 + STAGE_GAP / 2 + width / 2 : STAGE_GAP;
    previousWidth = width;
    return { kind: s.kind, x, planes, side, rows, units, width };
  });
}

/** The centre of image plane `c` of a stage, offsets in the wall's two directions. */
export function planeOffset(l: StageLayout, c: number): [number, number] {
  const perRow = Math.ceil(Math.sqrt(l.planes));
  const col = c % perRow;
  const row = Math.floor(c / perRow);
  const step = l.side * UNIT * 1.15;
  return [(col - (perRow - 1) / 2) * step, ((Math.ceil(l.planes / perRow) - 1) / 2 - row) * step];
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
    across = ox + (x - (l.side - 1) / 2) * UNIT;
    up = oy + ((l.rows - 1) / 2 - y) * UNIT;
  } else {
    const x = i % l.side;
    const y = Math.floor(i / l.side);
    const spacing = l.kind === 'output' ? UNIT * 3 : UNIT * 1.5;
    across = (x - (l.side - 1) / 2) * spacing;
    up = ((l.rows - 1) / 2 - y) * spacing;
  }
  return mode === '3d' ? [l.x, up, across] : [l.x + across, up, 0];
}
