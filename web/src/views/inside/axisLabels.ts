// Axis names over a 3D stage: HTML labels (crisp at any size, readable by tests) placed where
// points of the scene project, and placed again whenever the camera turns.

import * as THREE from 'three';
import type { Stage3D } from '../../lib/stage3d';

export interface AxisLabel {
  text: string;
  /** Where the label sits, in scene coordinates. */
  at: [number, number, number];
}

export class AxisLabels {
  private readonly layer = document.createElement('div');
  private labels: { el: HTMLSpanElement; at: THREE.Vector3 }[] = [];

  /** `host` holds the stage's canvas; the labels cover it. */
  constructor(
    host: HTMLElement,
    private readonly stage: Stage3D,
  ) {
    this.layer.className = 'axis-labels';
    host.append(this.layer);
    stage.controls.addEventListener('change', () => this.place());
  }

  set(labels: AxisLabel[]): void {
    if (labels.length !== this.labels.length) {
      this.layer.replaceChildren();
      this.labels = labels.map(() => {
        const el = document.createElement('span');
        el.className = 'axis-label';
        this.layer.append(el);
        return { el, at: new THREE.Vector3() };
      });
    }
    labels.forEach((l, i) => {
      this.labels[i].el.textContent = l.text;
      this.labels[i].at.set(...l.at);
    });
    this.place();
  }

  /** Each label centred on its point's projection, kept inside the canvas; hidden behind the camera. */
  private place(): void {
    const { width, height } = this.stage.canvas.getBoundingClientRect();
    const w = width || this.stage.canvas.clientWidth;
    const h = height || this.stage.canvas.clientHeight;
    this.stage.camera.updateMatrixWorld();
    for (const { el, at } of this.labels) {
      const p = at.clone().project(this.stage.camera);
      el.hidden = p.z > 1;
      const [halfW, halfH] = [el.offsetWidth / 2, el.offsetHeight / 2];
      const clamp = (v: number, half: number, size: number) => Math.min(size - half, Math.max(half, v));
      el.style.left = `${clamp(((p.x + 1) / 2) * w, halfW, w)}px`;
      el.style.top = `${clamp(((1 - p.y) / 2) * h, halfH, h)}px`;
    }
  }
}
