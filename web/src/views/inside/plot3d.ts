// A small Three.js stage for the Inside view's 3D panels: a canvas, a camera orbiting the
// origin (drag rotates, wheel zooms), and a scene drawn again only when something changed.

import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

export class Plot3D {
  readonly scene = new THREE.Scene();
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: THREE.WebGLRenderer;
  private readonly camera: THREE.PerspectiveCamera;
  private readonly controls: OrbitControls;
  private content = new THREE.Group();
  private pending = false;

  constructor(host: HTMLElement, width: number, height: number, distance = 1) {
    // preserveDrawingBuffer: the canvas can be read back (tests count its pixels).
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.renderer.setSize(width, height);
    this.renderer.setClearColor(0xffffff);
    this.renderer.localClippingEnabled = true;
    this.canvas = this.renderer.domElement;
    host.appendChild(this.canvas);
    this.camera = new THREE.PerspectiveCamera(40, width / height, 0.01, 100);
    this.camera.position.set(2.4 * distance, 2.0 * distance, 2.8 * distance);
    this.controls = new OrbitControls(this.camera, this.canvas);
    this.controls.target.set(0, 0.2, 0);
    this.controls.addEventListener('change', () => this.requestRender());
    this.controls.update();
    this.scene.add(new THREE.AmbientLight(0xffffff, 0.75));
    const sun = new THREE.DirectionalLight(0xffffff, 0.9);
    sun.position.set(2, 4, 3);
    this.scene.add(sun);
    this.scene.add(this.content);
  }

  /** Replaces what is drawn (the lights and camera stay), freeing the old geometry. */
  setContent(group: THREE.Group): void {
    this.scene.remove(this.content);
    this.content.traverse((o) => {
      const mesh = o as THREE.Mesh;
      mesh.geometry?.dispose();
      const material = mesh.material as THREE.Material | THREE.Material[] | undefined;
      if (Array.isArray(material)) material.forEach((m) => m.dispose());
      else material?.dispose();
    });
    this.content = group;
    this.scene.add(group);
    this.requestRender();
  }

  setTarget(y: number): void {
    this.controls.target.set(0, y, 0);
    this.controls.update();
  }

  requestRender(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.renderer.render(this.scene, this.camera);
    });
  }
}
