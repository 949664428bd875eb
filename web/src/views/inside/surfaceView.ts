// The loss surface in 3D: L(c + alpha d1 + beta d2) over [-extent, extent]², heights on a log
// scale and coloured from low (dark) to high (light), with the descent path as points on it
// (the newest in red).

import * as THREE from 'three';
import * as d3 from 'd3';
import type { Stage3D } from '../../lib/stage3d';
import { surfaceCoordinate, surfaceHeights } from './geometry';
import { insideStage } from './stage';
import type { FramePictures } from './messages';
import { AxisLabels } from './axisLabels';

const HEIGHT = 1.2; // scene units for the highest loss

export class SurfaceView {
  private readonly stage: Stage3D;
  private readonly labels: AxisLabels;

  constructor(host: HTMLElement, size: number) {
    this.stage = insideStage(host, size, 1, 0.4);
    this.labels = new AxisLabels(host, this.stage);
  }

  /** `axes`: the names of the directions along x (alpha) and z (beta). */
  show(p: FramePictures, extent: number, axes: [string, string]): void {
    // The AxesHelper's ends: x red (alpha), y green (the loss), z blue (beta).
    this.labels.set([
      { text: `α: ${axes[0]} ±${extent}`, at: [1.3, 0, 0] },
      { text: 'loss (log scale)', at: [0, HEIGHT + 0.15, 0] },
      { text: `β: ${axes[1]} ±${extent}`, at: [0, 0, 1.3] },
    ]);
    const r = p.surface.shape[0];
    const { heights, height } = surfaceHeights(p.surface.values);
    const group = new THREE.Group();

    const positions = new Float32Array(r * r * 3);
    const colors = new Float32Array(r * r * 3);
    for (let row = 0; row < r; row++)
      for (let col = 0; col < r; col++) {
        const i = row * r + col;
        const h = Number.isFinite(heights[i]) ? heights[i] : 1;
        positions.set([surfaceCoordinate(col, r, 1), h * HEIGHT, surfaceCoordinate(row, r, 1)], 3 * i);
        const c = d3.rgb(d3.interpolateViridis(h));
        colors.set([c.r / 255, c.g / 255, c.b / 255], 3 * i);
      }
    const indices: number[] = [];
    for (let row = 0; row + 1 < r; row++)
      for (let col = 0; col + 1 < r; col++) {
        const a = row * r + col;
        indices.push(a, a + r, a + 1, a + 1, a + r, a + r + 1);
      }
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
    geometry.setAttribute('color', new THREE.BufferAttribute(colors, 3));
    geometry.setIndex(indices);
    geometry.computeVertexNormals();
    const material = new THREE.MeshLambertMaterial({ vertexColors: true, side: THREE.DoubleSide });
    group.add(new THREE.Mesh(geometry, material));
    const wire = new THREE.LineSegments(
      new THREE.WireframeGeometry(geometry),
      new THREE.LineBasicMaterial({ color: 0x000000, transparent: true, opacity: 0.12 }),
    );
    group.add(wire);

    // The path: records inside the plotted square, lifted a little above the surface.
    const t = p.trajectory;
    const path: THREE.Vector3[] = [];
    for (let k = 0; k < t.shape[0]; k++) {
      const [alpha, beta, surfaceLoss] = [t.values[5 * k + 1], t.values[5 * k + 2], t.values[5 * k + 4]];
      if (Math.abs(alpha) > extent || Math.abs(beta) > extent || !Number.isFinite(surfaceLoss)) continue;
      path.push(new THREE.Vector3(alpha / extent, height(surfaceLoss) * HEIGHT + 0.02, beta / extent));
    }
    if (path.length > 0) {
      const dots = new THREE.Points(
        new THREE.BufferGeometry().setFromPoints(path),
        new THREE.PointsMaterial({ color: 0xffffff, size: 0.05 }),
      );
      group.add(dots);
      if (path.length > 1)
        group.add(
          new THREE.Line(new THREE.BufferGeometry().setFromPoints(path), new THREE.LineBasicMaterial({ color: 0xffffff })),
        );
      const now = new THREE.Mesh(new THREE.SphereGeometry(0.035, 16, 12), new THREE.MeshBasicMaterial({ color: 0xe03131 }));
      now.position.copy(path[path.length - 1]);
      group.add(now);
    }
    group.add(new THREE.AxesHelper(1.15));
    this.stage.clear();
    this.stage.add(group);
  }
}
