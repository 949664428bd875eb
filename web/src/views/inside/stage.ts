// The Inside view's 3D panels share one look: a square lib/stage3d stage, white, lit for shaded
// surfaces, with clipping (the separator plane is clipped to its box), seen from one corner.

import { Stage3D } from '../../lib/stage3d';

/** A size × size stage; `distance` scales the camera's distance, `targetY` lifts what it looks at. */
export function insideStage(host: HTMLElement, size: number, distance: number, targetY: number): Stage3D {
  const stage = new Stage3D(host, { size: { width: size, height: size }, background: 0xffffff, lights: true, clipping: true, fov: 40, near: 0.01, far: 100 });
  stage.look({ x: 2.4 * distance, y: 2.0 * distance, z: 2.8 * distance }, { x: 0, y: targetY, z: 0 });
  return stage;
}
