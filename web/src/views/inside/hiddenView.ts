// The hidden feature space: every training point at its hidden activations (2D canvas or 3D
// scene), coloured by class, the warped grid of the input plane, and the logistic-regression
// separator (a line, or a plane clipped to the box) fitted on those coordinates.

import * as THREE from 'three';
import { colorOf, cssColorOf } from '../../lib/colorScale';
import { boundsOf, halfPlaneInBox, separatorSegment, type Box } from './geometry';
import type { Stage3D } from '../../lib/stage3d';
import type { FramePictures, HiddenInfo } from './messages';
import { insideStage } from './stage';
import { AxisLabels } from './axisLabels';

/** Axis d's name: a unit of the layer, or a principal axis with the share of variance it explains. */
export function axisName(info: HiddenInfo, d: number): string {
  if (!info.projected) return `unit ${d + 1} of layer ${info.layer + 1}`;
  const share = info.explained?.[d];
  return `PC ${d + 1}${share === undefined ? '' : ` (${(100 * share).toFixed(0)} %)`}`;
}

/** The box around the points and the warped grid together. */
function boxOf(p: FramePictures, dims: number): Box {
  const all = new Float32Array(p.points.values.length + p.grid.values.length);
  all.set(p.points.values);
  all.set(p.grid.values, p.points.values.length);
  return boundsOf(all, dims, 0.05);
}

export class HiddenView {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly stage: Stage3D;
  private readonly labels: AxisLabels;
  private readonly axes2d: [HTMLSpanElement, HTMLSpanElement];

  constructor(
    host2d: HTMLElement,
    host3d: HTMLElement,
    private readonly size: number,
  ) {
    this.canvas = document.createElement('canvas');
    const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));
    this.canvas.width = this.canvas.height = size * ratio;
    this.canvas.style.width = this.canvas.style.height = `${size}px`;
    host2d.appendChild(this.canvas);
    this.axes2d = [document.createElement('span'), document.createElement('span')];
    this.axes2d[0].className = 'axis-label axis-x';
    this.axes2d[1].className = 'axis-label axis-y';
    host2d.append(...this.axes2d);
    this.ctx = this.canvas.getContext('2d')!;
    this.ctx.scale(ratio, ratio);
    this.stage = insideStage(host3d, size, 1.45, 0); // far enough to see the whole [-1, 1]³ box
    this.labels = new AxisLabels(host3d, this.stage);
  }

  /** labels: each point's class, -1 or +1, in the server's point order. */
  show(p: FramePictures, info: HiddenInfo, labels: number[]): void {
    if (!info.dims || !info.separator) return;
    if (info.dims === 2) {
      this.draw2d(p, info, labels);
      this.axes2d.forEach((el, d) => (el.textContent = `${axisName(info, d)} →`));
    } else {
      this.draw3d(p, info, labels);
      // At the far end of the box's three edges from its corner (-1, -1, -1).
      this.labels.set([0, 1, 2].map((d) => ({ text: axisName(info, d), at: [d === 0 ? 1.25 : -1, d === 1 ? 1.2 : -1, d === 2 ? 1.25 : -1] })));
    }
  }

  private draw2d(p: FramePictures, info: HiddenInfo, labels: number[]): void {
    const { ctx, size } = this;
    const box = boxOf(p, 2);
    const sx = (x: number) => ((x - box.min[0]) / (box.max[0] - box.min[0])) * size;
    const sy = (y: number) => size - ((y - box.min[1]) / (box.max[1] - box.min[1])) * size;
    // The separator's half-planes, faintly, in the colour of the class each side predicts: the
    // negative side fills the box, the positive side's polygon is drawn over it.
    const { weights: w, bias: b } = info.separator!;
    ctx.fillStyle = cssColorOf(-0.25);
    ctx.fillRect(0, 0, size, size);
    const positive = halfPlaneInBox(w, b, box);
    if (positive.length) {
      ctx.fillStyle = cssColorOf(0.25);
      ctx.beginPath();
      positive.forEach(([x, y], i) => (i ? ctx.lineTo(sx(x), sy(y)) : ctx.moveTo(sx(x), sy(y))));
      ctx.fill();
    }
    const [lines, samples] = p.grid.shape;
    ctx.strokeStyle = 'rgba(60, 60, 60, 0.45)';
    ctx.lineWidth = 1;
    for (let l = 0; l < lines; l++) {
      ctx.beginPath();
      for (let s = 0; s < samples; s++) {
        const at = (l * samples + s) * 2;
        const [x, y] = [sx(p.grid.values[at]), sy(p.grid.values[at + 1])];
        if (s === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
    }
    const segment = separatorSegment(w, b, box);
    if (segment) {
      ctx.strokeStyle = '#111';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(sx(segment[0][0]), sy(segment[0][1]));
      ctx.lineTo(sx(segment[1][0]), sy(segment[1][1]));
      ctx.stroke();
    }
    ctx.strokeStyle = '#fff';
    for (let i = 0; i < p.points.shape[0]; i++) {
      ctx.beginPath();
      ctx.arc(sx(p.points.values[2 * i]), sy(p.points.values[2 * i + 1]), 5, 0, 2 * Math.PI);
      ctx.fillStyle = cssColorOf(labels[i] ?? 0);
      ctx.fill();
      ctx.stroke();
    }
  }

  private draw3d(p: FramePictures, info: HiddenInfo, labels: number[]): void {
    const box = boxOf(p, 3);
    // Scene coordinates: the box mapped onto [-1, 1]³.
    const toScene = (v: ArrayLike<number>, at: number) =>
      new THREE.Vector3(
        ...[0, 1, 2].map((d) => (2 * (v[at + d] - box.min[d])) / (box.max[d] - box.min[d]) - 1),
      );
    const group = new THREE.Group();
    const [lines, samples] = p.grid.shape;
    const gridMaterial = new THREE.LineBasicMaterial({ color: 0x555555, transparent: true, opacity: 0.35 });
    for (let l = 0; l < lines; l++) {
      const pts: THREE.Vector3[] = [];
      for (let s = 0; s < samples; s++) pts.push(toScene(p.grid.values, (l * samples + s) * 3));
      group.add(new THREE.Line(new THREE.BufferGeometry().setFromPoints(pts), gridMaterial));
    }
    const sphere = new THREE.SphereGeometry(0.045, 12, 8);
    for (let i = 0; i < p.points.shape[0]; i++) {
      const [r, g, b] = colorOf(labels[i] ?? 0);
      const dot = new THREE.Mesh(sphere, new THREE.MeshLambertMaterial({ color: new THREE.Color(r / 255, g / 255, b / 255) }));
      dot.position.copy(toScene(p.points.values, 3 * i));
      group.add(dot);
    }
    // The plane w·h + b = 0 in scene coordinates: h_d = min_d + (s_d + 1)(max_d - min_d)/2, so
    // its normal is n_d = w_d (max_d - min_d)/2 and its offset b + sum_d w_d (max_d + min_d)/2.
    const { weights: w, bias } = info.separator!;
    const normal = new THREE.Vector3(...[0, 1, 2].map((d) => (w[d] * (box.max[d] - box.min[d])) / 2));
    const offset = bias + [0, 1, 2].reduce((s, d) => s + (w[d] * (box.max[d] + box.min[d])) / 2, 0);
    if (normal.length() > 0) {
      const length = normal.length();
      const plane = new THREE.Mesh(
        new THREE.PlaneGeometry(4, 4),
        new THREE.MeshBasicMaterial({
          color: 0x222222,
          transparent: true,
          opacity: 0.22,
          side: THREE.DoubleSide,
          depthWrite: false,
          clippingPlanes: [0, 1, 2].flatMap((d) => {
            const axis = new THREE.Vector3(d === 0 ? 1 : 0, d === 1 ? 1 : 0, d === 2 ? 1 : 0);
            return [new THREE.Plane(axis.clone().negate(), 1), new THREE.Plane(axis, 1)];
          }),
        }),
      );
      const unit = normal.clone().divideScalar(length);
      plane.quaternion.setFromUnitVectors(new THREE.Vector3(0, 0, 1), unit);
      plane.position.copy(unit.clone().multiplyScalar(-offset / length));
      group.add(plane);
    }
    group.add(new THREE.Box3Helper(new THREE.Box3(new THREE.Vector3(-1, -1, -1), new THREE.Vector3(1, 1, 1)), 0xcccccc));
    this.stage.clear();
    this.stage.add(group);
  }
}
