// The 3D stage of every view (Three.js): a canvas, a camera that orbits a target (drag rotates,
// wheel zooms), and a scene drawn on demand: once after something changed, and on every move of
// the camera while the user drags. Whatever leaves the stage is disposed (geometries, materials,
// textures), so replacing its content while a run trains never grows GPU memory.

import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

export interface StageOptions {
  /** A fixed size in CSS pixels, or 'fill' to follow the host's size. */
  size: { width: number; height: number } | 'fill';
  background: number;
  /** Ambient and directional light, for shaded (Lambert) materials. */
  lights?: boolean;
  fov?: number;
  near?: number;
  far?: number;
  /** Clipping planes on materials take effect. */
  clipping?: boolean;
}

/** Frees an object's geometries, materials and their textures, and those of its children. */
export function disposeTree(root: THREE.Object3D): void {
  root.traverse((o) => {
    const mesh = o as Partial<THREE.Mesh>;
    mesh.geometry?.dispose();
    const material = mesh.material as THREE.Material | THREE.Material[] | undefined;
    for (const m of Array.isArray(material) ? material : material ? [material] : []) {
      for (const value of Object.values(m)) if (value instanceof THREE.Texture) value.dispose();
      m.dispose();
    }
  });
}

export class Stage3D {
  readonly scene = new THREE.Scene();
  readonly camera: THREE.PerspectiveCamera;
  readonly controls: OrbitControls;
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: THREE.WebGLRenderer;
  /** What views add; the lights stay outside it. */
  private readonly content = new THREE.Group();
  private pending = false;
  /** A fixed size sets the canvas's CSS size too; a filling canvas is sized by the page's CSS. */
  private readonly fixedSize: boolean;

  constructor(
    host: HTMLElement,
    options: StageOptions,
  ) {
    // preserveDrawingBuffer: the canvas can be read back (tests count its pixels).
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.renderer.setClearColor(options.background);
    this.renderer.localClippingEnabled = options.clipping ?? false;
    this.canvas = this.renderer.domElement;
    host.appendChild(this.canvas);
    this.camera = new THREE.PerspectiveCamera(options.fov ?? 45, 1, options.near ?? 0.1, options.far ?? 1000);
    this.controls = new OrbitControls(this.camera, this.canvas);
    this.controls.addEventListener('change', () => this.requestRender());
    if (options.lights) {
      this.scene.add(new THREE.AmbientLight(0xffffff, 0.75));
      const sun = new THREE.DirectionalLight(0xffffff, 0.9);
      sun.position.set(2, 4, 3);
      this.scene.add(sun);
    }
    this.scene.add(this.content);
    const size = options.size;
    this.fixedSize = size !== 'fill';
    if (size === 'fill') {
      new ResizeObserver(() => this.resize(host.clientWidth, host.clientHeight)).observe(host);
      this.resize(host.clientWidth, host.clientHeight);
    } else {
      this.resize(size.width, size.height);
    }
  }

  add(object: THREE.Object3D): void {
    this.content.add(object);
    this.requestRender();
  }

  /** Takes an object off the stage and frees everything it holds. */
  remove(object: THREE.Object3D): void {
    this.content.remove(object);
    disposeTree(object);
    this.requestRender();
  }

  /** Takes everything off the stage (the lights stay). */
  clear(): void {
    for (const child of [...this.content.children]) this.remove(child);
  }

  /** Points the camera from `position` at `target`. */
  look(position: THREE.Vector3Like, target: THREE.Vector3Like): void {
    this.camera.position.copy(position);
    this.controls.target.copy(target);
    this.controls.update();
    this.requestRender();
  }

  /** Draws once at the next animation frame, however often it is asked before then. */
  requestRender(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.renderer.render(this.scene, this.camera);
      // Read-only figures for the browser tests: what the GPU holds, and how often it drew.
      const { geometries, textures } = this.renderer.info.memory;
      const data = this.canvas.dataset;
      Object.assign(data, { geometries: String(geometries), textures: String(textures), renders: String(Number(data.renders ?? 0) + 1) });
    });
  }

  private resize(width: number, height: number): void {
    const w = Math.max(1, width);
    const h = Math.max(1, height);
    this.renderer.setSize(w, h, this.fixedSize);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }
}
