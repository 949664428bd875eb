// The network in 3D (Three.js): the input image, each conv and pool stage's feature maps as
// framed image planes, each dense stage as a grid of units whose size and colour carry their
// activation, the output column with its classes named and the answer lit, a label over every
// stage, and the N strongest incoming connections of every dense unit; the camera frames the
// whole network so that it fills the canvas. Orbit and zoom with the mouse; hover a unit for
// its value and weighted inputs (onHover), click it for details (onPick). The objects live on a
// lib/stage3d stage: built once per network and layout, repainted in place (textures, instance
// colours and sizes), and the connections' geometry replaced (and the old one disposed) per paint.

import * as THREE from 'three';
import { colorOf } from '../../lib/colorScale';
import { Stage3D } from '../../lib/stage3d';
import type { Tensor } from '../../lib/wire';
import { strongestInputs } from './connections';
import { planeOffset, stageLayouts, stagePoint, unitPosition, VIEW_AZIMUTH, type LayoutMode, type StageLayout } from './layout';
import type { StageInfo } from './messages';
import { stageLabel, textSprite } from './sceneLabels';

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
/** The winning class's unit and label. */
export const WINNER = 0x2e9d4a;
const LABEL = 0x333333;
const VIEW_ELEVATION = (14 * Math.PI) / 180;
const LABEL_HEIGHT = 1.25; // a line of a layer label, in world units
const CLASS_LABEL_HEIGHT = 1.0;

export class NetworkScene {
  readonly canvas: HTMLCanvasElement;
  private readonly stage: Stage3D;
  private stages: StageInfo[] = [];
  private classes: string[] = [];
  private objects: StageObjects[] = [];
  private layouts: StageLayout[] = [];
  private labels: THREE.Sprite[] = [];
  private classLabels: THREE.Sprite[] = [];
  private lines: THREE.LineSegments | null = null;
  private values: Tensor[] = [];
  private weights: Tensor[] = [];
  private winner = -1;
  private raycaster = new THREE.Raycaster();

  onHover: (unit: PickedUnit | null, event: MouseEvent) => void = () => {};
  onPick: (unit: PickedUnit) => void = () => {};

  constructor(
    host: HTMLElement,
    private options: SceneOptions,
  ) {
    // A narrow field of view: from afar the near stages are not blown up by perspective.
    this.stage = new Stage3D(host, { size: 'fill', background: BACKGROUND, fov: 20, far: 5000 });
    this.canvas = this.stage.canvas;
    this.canvas.addEventListener('mousemove', (e) => this.onHover(this.pick(e), e));
    this.canvas.addEventListener('mouseleave', (e) => this.onHover(null, e));
    this.canvas.addEventListener('click', (e) => {
      const u = this.pick(e);
      if (u) this.onPick(u);
    });
    // A canvas of another shape frames the network again (after the stage's own resize).
    new ResizeObserver(() => {
      if (this.layouts.length) {
        this.frame();
        this.mark();
      }
    }).observe(host);
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
    this.labels = [];
    this.classLabels = [];
    this.lines = null;
    const mode = this.options.layout;
    this.layouts = stageLayouts(this.stages, mode);
    // A plane's frame lies just behind it (away from the camera), so that an empty map still shows.
    const behind = mode === '3d' ? 0.06 : -0.06;
    this.layouts.forEach((l, s) => {
      const objects: StageObjects = { layout: l, planes: [], grid: null };
      if (l.planes > 0) {
        const w = l.side * l.pitch;
        const h = l.rows * l.pitch;
        for (let c = 0; c < l.planes; c++) {
          const data = new Uint8Array(l.side * l.rows * 4);
          const texture = new THREE.DataTexture(data, l.side, l.rows, THREE.RGBAFormat);
          texture.magFilter = THREE.NearestFilter;
          texture.flipY = true;
          const material = new THREE.MeshBasicMaterial({ map: texture, side: THREE.DoubleSide });
          const mesh = new THREE.Mesh(new THREE.PlaneGeometry(w, h), material);
          const border = Math.max(0.08, w * 0.03);
          const frame = new THREE.Mesh(new THREE.PlaneGeometry(w + 2 * border, h + 2 * border), new THREE.MeshBasicMaterial({ color: 0xaab1b8, side: THREE.DoubleSide }));
          const [ox, oy] = planeOffset(l, c);
          const [px, py, pz] = stagePoint(l, ox, oy, mode);
          mesh.position.set(px, py, pz);
          frame.position.set(px + (mode === '3d' ? behind : 0), py, pz + (mode === '3d' ? 0 : behind));
          if (mode === '3d') {
            // Turned to face the camera (which looks from −x): the image's x runs along +z, as
            // unitPosition has it, so a drawn 7 reads as a 7 and not as its mirror image.
            mesh.rotation.y = -Math.PI / 2;
            frame.rotation.y = -Math.PI / 2;
          }
          this.stage.add(frame);
          this.stage.add(mesh);
          objects.planes.push({ mesh, texture });
        }
      } else {
        const grid = new THREE.InstancedMesh(new THREE.BoxGeometry(1, 1, 1), new THREE.MeshBasicMaterial({ color: 0xffffff }), l.units);
        for (let i = 0; i < l.units; i++) grid.setColorAt(i, new THREE.Color(0xe8eaeb));
        this.stage.add(grid);
        objects.grid = grid;
        if (l.kind === 'output') for (let i = 0; i < l.units; i++) this.classLabels.push(this.classLabel(l, i));
      }
      const label = textSprite(stageLabel(this.stages[s]), LABEL_HEIGHT * 2, [0.5, 0], ['#222', '#666']);
      label.position.set(...stagePoint(l, 0, l.height / 2 + 0.8, mode));
      label.name = 'stage-label';
      this.stage.add(label);
      this.labels.push(label);
      this.objects.push(objects);
    });
    this.frame();
    this.paint();
  }

  /** The name of output unit i (its class), beside it on the side away from the network. */
  private classLabel(l: StageLayout, i: number): THREE.Sprite {
    const sprite = textSprite([this.classes[i] ?? String(i)], CLASS_LABEL_HEIGHT, [0, 0.5], ['#fff']);
    const [x, y, z] = unitPosition(l, i, this.options.layout);
    sprite.position.set(...(this.options.layout === '3d' ? ([x, y, z + l.pitch * 0.8] as const) : ([x + l.pitch * 0.8, y, z] as const)));
    sprite.name = 'class-label';
    this.stage.add(sprite);
    return sprite;
  }

  /**
   * Points the camera so that the whole network, its labels included, fills the canvas: from
   * the side and a little above in 3D, straight on in 2D, as close as the canvas's shape allows.
   */
  private frame(): void {
    const mode = this.options.layout;
    const points: THREE.Vector3[] = [];
    const add = (p: readonly number[]) => points.push(new THREE.Vector3(p[0], p[1], p[2]));
    this.layouts.forEach((l) => {
      for (const a of [-l.width / 2, l.width / 2])
        for (const u of [-l.height / 2, l.height / 2 + 0.8 + LABEL_HEIGHT * 2]) add(stagePoint(l, a, u, mode));
    });
    const out = this.layouts[this.layouts.length - 1];
    if (out?.kind === 'output') {
      // The class labels run towards the screen's right: longer names reach further.
      const longest = Math.max(1, ...this.classes.map((c) => c.length));
      for (const u of [-out.height / 2, out.height / 2]) add(stagePoint(out, out.pitch + longest * CLASS_LABEL_HEIGHT * 0.62, u, mode));
    }
    if (!points.length) return;
    const camera = this.stage.camera;
    const toEye =
      mode === '3d'
        ? new THREE.Vector3(-Math.cos(VIEW_AZIMUTH) * Math.cos(VIEW_ELEVATION), Math.sin(VIEW_ELEVATION), Math.sin(VIEW_AZIMUTH) * Math.cos(VIEW_ELEVATION))
        : new THREE.Vector3(0, 0, 1);
    const target = new THREE.Box3().setFromPoints(points).getCenter(new THREE.Vector3());
    const extent = (distance: number) => {
      camera.position.copy(target).addScaledVector(toEye, distance);
      camera.lookAt(target);
      camera.updateMatrixWorld();
      const box = new THREE.Box2(new THREE.Vector2(Infinity, Infinity), new THREE.Vector2(-Infinity, -Infinity));
      for (const p of points) {
        const q = p.clone().project(camera);
        box.expandByPoint(new THREE.Vector2(q.x, q.y));
      }
      return box;
    };
    let distance = 100;
    // Closest distance at which the network fits (margins of 4 % across, 6 % up), then move
    // the target so that it sits in the middle; twice, since perspective shifts it a little.
    for (let pass = 0; pass < 3; pass++) {
      let near = 1;
      let far = 4000;
      for (let i = 0; i < 40; i++) {
        const mid = (near + far) / 2;
        const box = extent(mid);
        if (box.max.x - box.min.x <= 1.92 && box.max.y - box.min.y <= 1.88) far = mid;
        else near = mid;
      }
      distance = far;
      const box = extent(distance);
      const halfHeight = Math.tan(THREE.MathUtils.degToRad(camera.fov / 2)) * distance;
      const right = new THREE.Vector3().setFromMatrixColumn(camera.matrixWorld, 0);
      const up = new THREE.Vector3().setFromMatrixColumn(camera.matrixWorld, 1);
      target.addScaledVector(right, ((box.max.x + box.min.x) / 2) * halfHeight * camera.aspect);
      target.addScaledVector(up, ((box.max.y + box.min.y) / 2) * halfHeight);
    }
    this.stage.look(target.clone().addScaledVector(toEye, distance), target);
  }

  /** Screen position (CSS pixels) of a world point. */
  private onScreen(p: THREE.Vector3): [number, number] {
    const q = p.clone().project(this.stage.camera);
    return [Math.round(((q.x + 1) / 2) * this.canvas.clientWidth), Math.round(((1 - q.y) / 2) * this.canvas.clientHeight)];
  }

  /**
   * What the browser tests read, as a person would see it, on the canvas's data attributes:
   * `data-input-plane`, the input image's corners (CSS pixels, [x, y] each: top-left,
   * top-right, bottom-left, bottom-right of the image); `data-labels`, each label's text and
   * anchor; `data-outputs`, the centre of each output unit; `data-winner`, the winning class
   * and the centre of its unit ('' when none).
   */
  private mark(): void {
    const data = this.canvas.dataset;
    const plane = this.objects[0]?.planes[0]?.mesh;
    if (plane) {
      plane.updateMatrixWorld();
      const box = (plane.geometry as THREE.PlaneGeometry).parameters;
      const corners = [[-1, 1], [1, 1], [-1, -1], [1, -1]].map(([sx, sy]) =>
        this.onScreen(new THREE.Vector3((sx * box.width) / 2, (sy * box.height) / 2, 0).applyMatrix4(plane.matrixWorld)),
      );
      data.inputPlane = JSON.stringify(corners);
    }
    const texts = [...this.stages.map((s) => stageLabel(s).join(' ')), ...this.classes];
    data.labels = JSON.stringify([...this.labels, ...this.classLabels].map((l, i) => ({ text: texts[i], at: this.onScreen(l.position) })));
    const out = this.layouts[this.layouts.length - 1];
    const units = out ? Array.from({ length: out.units }, (_, i) => this.onScreen(new THREE.Vector3(...unitPosition(out, i, this.options.layout)))) : [];
    data.outputs = JSON.stringify(units);
    data.winner = this.winner >= 0 ? JSON.stringify({ class: this.winner, at: units[this.winner] }) : '';
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
    // The class the network answers, lit; none for a blank input (an empty pad).
    const probabilities = this.values[this.values.length - 1]?.values;
    const ink = this.values[0]?.values.some((v) => v > 0) ?? false;
    this.winner = probabilities && ink ? probabilities.indexOf(Math.max(...probabilities)) : -1;
    const m = new THREE.Matrix4();
    const c = new THREE.Color();
    this.objects.forEach((o, s) => {
      const l = o.layout;
      const t = this.values[s];
      const scale = this.extent(s);
      // Activations on a square-root scale, so that the many small ones still show.
      const colour = (v: number): [number, number, number] =>
        l.kind === 'input' ? [255 * (1 - v), 255 * (1 - v), 255 * (1 - v)] : colorOf(Math.sign(v) * Math.sqrt(Math.abs(v) / scale));
      if (o.grid) {
        for (let i = 0; i < l.units; i++) {
          const v = t ? t.values[i] : 0;
          const strength = Math.min(1, Math.abs(v) / scale);
          // A unit's size says its activation too: a silent unit is a small grey box.
          const size = l.pitch * (i === this.winner && l.kind === 'output' ? 0.9 : 0.3 + 0.55 * Math.sqrt(strength));
          const [x, y, z] = unitPosition(l, i, this.options.layout);
          o.grid.setMatrixAt(i, m.makeScale(size, size, size).setPosition(x, y, z));
          if (l.kind === 'output' && i === this.winner) c.setHex(WINNER);
          else c.setRGB(...(colour(v).map((x) => x / 255) as [number, number, number]), THREE.SRGBColorSpace);
          o.grid.setColorAt(i, c);
        }
        o.grid.instanceMatrix.needsUpdate = true;
        if (o.grid.instanceColor) o.grid.instanceColor.needsUpdate = true;
        o.grid.computeBoundingSphere();
      }
      o.planes.forEach((p, ch) => {
        const data = p.texture.image.data as Uint8Array;
        const per = l.side * l.rows;
        for (let i = 0; i < per; i++) {
          const [r, g, b] = colour(t ? t.values[ch * per + i] : 0);
          data.set([r, g, b, 255], i * 4);
        }
        p.texture.needsUpdate = true;
      });
    });
    this.classLabels.forEach((label, i) => (label.material as THREE.SpriteMaterial).color.setHex(i === this.winner ? WINNER : LABEL));
    this.drawConnections();
    this.mark();
    this.stage.requestRender();
  }

  /** The N strongest incoming connections of each dense and output unit, by what flows. */
  private drawConnections(): void {
    if (this.lines) this.stage.remove(this.lines);
    this.lines = null;
    if (this.options.topN <= 0 || this.weights.length !== this.stages.length) return;
    const positions: number[] = [];
    const colours: number[] = [];
    const layouts = this.layouts;
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
    this.lines = new THREE.LineSegments(geometry, new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.45 }));
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
