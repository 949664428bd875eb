// The network in 3D (Three.js): the input image, each conv and pool stage's feature maps as
// image planes, each dense stage as a grid of units, the output column, and the N strongest
// incoming connections of every dense unit. Orbit and zoom with the mouse; hover a unit for its
// value and weighted inputs (onHover), click it for details (onPick). The objects live on a
// lib/stage3d stage: built once per network and layout, repainted in place (textures and
// instance colours), and the connections' geometry replaced (and the old one disposed) per paint.

import * as THREE from 'three';
import { colorOf } from '../../lib/colorScale';
import { Stage3D } from '../../lib/stage3d';
import type { Tensor } from '../../lib/wire';
import { strongestInputs } from './connections';
import { stageLayouts, unitPosition, planeOffset, UNIT, type LayoutMode, type StageLayout } from './layout';
import type { StageInfo } from './messages';

export interface PickedUnit {
  stage: number;
  unit: number;
}

export interface SceneOptions {
  topN: number;
  colorScale: 'layer' | 'global';
  layout: LayoutMode;
}

interface StageObjects {
  layout: StageLayout;
  planes: { mesh: THREE.Mesh; texture: THREE.DataTexture }[];
  grid: THREE.InstancedMesh | null;
}

const BACKGROUND = 0xf7f7f7;

export class NetworkScene {
  readonly canvas: HTMLCanvasElement;
  private readonly stage: Stage3D;
  private stages: StageInfo[] = [];
  private classes: string[] = [];
  private objects: StageObjects[] = [];
  private lines: THREE.LineSegments | null = null;
  private values: Tensor[] = [];
  private weights: Tensor[] = [];
  private raycaster = new THREE.Raycaster();

  onHover: (unit: PickedUnit | null, event: MouseEvent) => void = () => {};
  onPick: (unit: PickedUnit) => void = () => {};

  constructor(
    host: HTMLElement,
    private options: SceneOptions,
  ) {
    this.stage = new Stage3D(host, { size: 'fill', background: BACKGROUND });
    this.canvas = this.stage.canvas;
    this.canvas.addEventListener('mousemove', (e) => this.onHover(this.pick(e), e));
    this.canvas.addEventListener('mouseleave', (e) => this.onHover(null, e));
    this.canvas.addEventListener('click', (e) => {
      const u = this.pick(e);
      if (u) this.onPick(u);
    });
  }

  setOptions(options: Partial<SceneOptions>): void {
    const relayout = options.layout !== undefined && options.layout !== this.options.layout;
    this.options = { ...this.options, ...options };
    if (relayout) this.build();
    else this.paint();
  }

  /** A new network (a model message), its output units named by `classes`: rebuilds the scene. */
  setStages(stages: StageInfo[], classes: string[]): void {
    this.stages = stages;
    this.classes = classes;
    this.values = [];
    this.weights = [];
    this.build();
  }

  setWeights(weights: Tensor[]): void {
    this.weights = weights;
    this.paint();
  }

  /** Each stage's values for the current drawing. */
  setValues(values: Tensor[]): void {
    this.values = values;
    this.paint();
  }

  stageValues(): Tensor[] {
    return this.values;
  }

  stageWeights(): Tensor[] {
    return this.weights;
  }

  private build(): void {
    this.stage.clear();
    this.objects = [];
    this.lines = null;
    const mode = this.options.layout;
    const layouts = stageLayouts(this.stages, mode);
    layouts.forEach((l) => {
      const objects: StageObjects = { layout: l, planes: [], grid: null };
      if (l.planes > 0) {
        for (let c = 0; c < l.planes; c++) {
          const data = new Uint8Array(l.side * l.rows * 4);
          const texture = new THREE.DataTexture(data, l.side, l.rows, THREE.RGBAFormat);
          texture.magFilter = THREE.NearestFilter;
          texture.flipY = true;
          const material = new THREE.MeshBasicMaterial({ map: texture, side: THREE.DoubleSide });
          const mesh = new THREE.Mesh(new THREE.PlaneGeometry(l.side * UNIT, l.rows * UNIT), material);
          const [ox, oy] = planeOffset(l, c);
          if (mode === '3d') {
            // Turned to face the camera (which looks from −x): the image's x runs along +z, as
            // unitPosition has it, so a drawn 7 reads as a 7 and not as its mirror image.
            mesh.position.set(l.x, oy, ox);
            mesh.rotation.y = -Math.PI / 2;
          } else {
            mesh.position.set(l.x + ox, oy, 0);
          }
          mesh.userData = { stage: objects, channel: c };
          this.stage.add(mesh);
          objects.planes.push({ mesh, texture });
        }
      } else {
        const size = l.kind === 'output' ? UNIT * 2 : UNIT * 1.1;
        const grid = new THREE.InstancedMesh(
          new THREE.BoxGeometry(size, size, size),
          new THREE.MeshBasicMaterial({ color: 0xffffff }),
          l.units,
        );
        const m = new THREE.Matrix4();
        for (let i = 0; i < l.units; i++) {
          const [x, y, z] = unitPosition(l, i, mode);
          grid.setMatrixAt(i, m.makeTranslation(x, y, z));
          grid.setColorAt(i, new THREE.Color(0xe8eaeb));
        }
        this.stage.add(grid);
        objects.grid = grid;
        if (l.kind === 'output') for (let i = 0; i < l.units; i++) this.stage.add(this.classLabel(l, i));
      }
      this.objects.push(objects);
    });
    const last = layouts[layouts.length - 1];
    const centre = new THREE.Vector3((last ? last.x : 0) / 2, 0, 0);
    // The whole network in view: a narrower canvas (a 1024 px screen) moves the camera back.
    const span = ((last ? last.x : 10) + 12) * Math.max(1, 1.6 / this.stage.camera.aspect);
    const eye = mode === '3d' ? new THREE.Vector3(centre.x - span * 0.55, span * 0.25, span * 0.6) : new THREE.Vector3(centre.x, 0, span * 0.9);
    this.stage.look(eye, centre);
    this.paint();
  }

  /** The name of output unit i (its class), beside it, always facing the camera. */
  private classLabel(l: StageLayout, i: number): THREE.Sprite {
    const canvas = document.createElement('canvas');
    canvas.width = 256;
    canvas.height = 64;
    const ctx = canvas.getContext('2d')!;
    ctx.font = '500 40px Helvetica, Arial, sans-serif';
    ctx.fillStyle = '#333';
    ctx.textBaseline = 'middle';
    ctx.fillText(this.classes[i] ?? String(i), 4, 32);
    const texture = new THREE.CanvasTexture(canvas);
    texture.colorSpace = THREE.SRGBColorSpace;
    const sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: texture, depthTest: false }));
    sprite.scale.set(UNIT * 14, UNIT * 3.5, 1);
    const [x, y, z] = unitPosition(l, i, this.options.layout);
    // Its left edge just past the unit, on the side away from the network.
    sprite.center.set(0, 0.5);
    sprite.position.set(x + UNIT * 2, y, z);
    sprite.name = 'class-label';
    return sprite;
  }

  /**
   * Where the input image's corners are on the canvas (CSS pixels, [x, y] each: top-left,
   * top-right, bottom-left, bottom-right of the image), on the canvas's `data-input-plane` for
   * the browser tests, which read the picture there as a person would.
   */
  private markInputPlane(): void {
    const plane = this.objects[0]?.planes[0]?.mesh;
    if (!plane) return;
    plane.updateMatrixWorld();
    const box = (plane.geometry as THREE.PlaneGeometry).parameters;
    const corners = [[-1, 1], [1, 1], [-1, -1], [1, -1]].map(([sx, sy]) => {
      const p = new THREE.Vector3((sx * box.width) / 2, (sy * box.height) / 2, 0).applyMatrix4(plane.matrixWorld).project(this.stage.camera);
      return [Math.round(((p.x + 1) / 2) * this.canvas.clientWidth), Math.round(((1 - p.y) / 2) * this.canvas.clientHeight)];
    });
    this.canvas.dataset.inputPlane = JSON.stringify(corners);
  }

  /** The extent of the colour scale for a stage's values. */
  private extent(stage: number): number {
    const local = (t: Tensor | undefined) => {
      let m = 1e-6;
      if (t) for (const v of t.values) m = Math.max(m, Math.abs(v));
      return m;
    };
    const kind = this.stages[stage]?.kind;
    if (kind === 'input' || kind === 'output') return 1;
    if (this.options.colorScale === 'layer') return local(this.values[stage]);
    let m = 1e-6;
    this.stages.forEach((s, i) => {
      if (s.kind !== 'input' && s.kind !== 'output') m = Math.max(m, local(this.values[i]));
    });
    return m;
  }

  private paint(): void {
    this.objects.forEach((o, s) => {
      const t = this.values[s];
      const scale = this.extent(s);
      const colour = (v: number): [number, number, number] =>
        o.layout.kind === 'input' ? [255 * (1 - v), 255 * (1 - v), 255 * (1 - v)] : colorOf(v / scale);
      if (o.grid) {
        const c = new THREE.Color();
        for (let i = 0; i < o.layout.units; i++) {
          const [r, g, b] = colour(t ? t.values[i] : 0);
          o.grid.setColorAt(i, c.setRGB(r / 255, g / 255, b / 255, THREE.SRGBColorSpace));
        }
        if (o.grid.instanceColor) o.grid.instanceColor.needsUpdate = true;
      }
      o.planes.forEach((p, ch) => {
        const data = p.texture.image.data as Uint8Array;
        const per = o.layout.side * o.layout.rows;
        for (let i = 0; i < per; i++) {
          const [r, g, b] = colour(t ? t.values[ch * per + i] : 0);
          data.set([r, g, b, 255], i * 4);
        }
        p.texture.needsUpdate = true;
      });
    });
    this.drawConnections();
    this.markInputPlane();
    this.stage.requestRender();
  }

  /** The N strongest incoming connections of each dense and output unit, by what flows. */
  private drawConnections(): void {
    if (this.lines) this.stage.remove(this.lines);
    this.lines = null;
    if (this.options.topN <= 0 || this.weights.length !== this.stages.length) return;
    const positions: number[] = [];
    const colours: number[] = [];
    const layouts = this.objects.map((o) => o.layout);
    this.stages.forEach((s, i) => {
      const w = this.weights[i];
      if (i === 0 || (s.kind !== 'dense' && s.kind !== 'output') || w.shape.length !== 2) return;
      const [inputs, outputs] = w.shape;
      const source = this.values[i - 1]?.values ?? null;
      const links = strongestInputs(w.values, inputs, outputs, source, this.options.topN);
      const strongest = links.reduce((m, l) => Math.max(m, Math.abs(l.contribution)), 1e-6);
      // In 2D the lines run just behind the units and planes, which stay readable on top.
      const behind = this.options.layout === '2d' ? -0.05 : 0;
      for (const l of links) {
        const [x0, y0, z0] = unitPosition(layouts[i - 1], l.from, this.options.layout);
        const [x1, y1, z1] = unitPosition(layouts[i], l.to, this.options.layout);
        positions.push(x0, y0, z0 + behind, x1, y1, z1 + behind);
        const [r, g, b] = colorOf(Math.sign(l.contribution) * (0.35 + (0.65 * Math.abs(l.contribution)) / strongest));
        colours.push(r / 255, g / 255, b / 255, r / 255, g / 255, b / 255);
      }
    });
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.Float32BufferAttribute(positions, 3));
    geometry.setAttribute('color', new THREE.Float32BufferAttribute(colours, 3));
    this.lines = new THREE.LineSegments(geometry, new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.6 }));
    this.stage.add(this.lines);
  }

  private pick(event: MouseEvent): PickedUnit | null {
    const rect = this.canvas.getBoundingClientRect();
    const pointer = new THREE.Vector2(
      ((event.clientX - rect.left) / rect.width) * 2 - 1,
      -((event.clientY - rect.top) / rect.height) * 2 + 1,
    );
    this.raycaster.setFromCamera(pointer, this.stage.camera);
    const targets: THREE.Object3D[] = [];
    for (const o of this.objects) {
      if (o.grid) targets.push(o.grid);
      for (const p of o.planes) targets.push(p.mesh);
    }
    const hit = this.raycaster.intersectObjects(targets, false)[0];
    if (!hit) return null;
    const stage = this.objects.findIndex((o) => o.grid === hit.object || o.planes.some((p) => p.mesh === hit.object));
    const o = this.objects[stage];
    if (o.grid && hit.instanceId !== undefined) return { stage, unit: hit.instanceId };
    if (!hit.uv) return null;
    const channel = o.planes.findIndex((p) => p.mesh === hit.object);
    const x = Math.min(o.layout.side - 1, Math.floor(hit.uv.x * o.layout.side));
    const y = Math.min(o.layout.rows - 1, Math.floor((1 - hit.uv.y) * o.layout.rows));
    return { stage, unit: channel * o.layout.side * o.layout.rows + y * o.layout.side + x };
  }
}
