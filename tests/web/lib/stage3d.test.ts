import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { disposeTree } from '../../../web/src/lib/stage3d';

/** Counts the dispose events of a geometry, material or texture. */
function watch(...things: THREE.EventDispatcher<{ dispose: object }>[]): () => number {
  let n = 0;
  for (const t of things) t.addEventListener('dispose', () => n++);
  return () => n;
}

describe('disposeTree', () => {
  it('frees the geometries, materials and textures of an object and all its children', () => {
    const texture = new THREE.DataTexture(new Uint8Array(4), 1, 1);
    const plane = new THREE.Mesh(new THREE.PlaneGeometry(1, 1), new THREE.MeshBasicMaterial({ map: texture }));
    const lines = new THREE.LineSegments(new THREE.BufferGeometry(), new THREE.LineBasicMaterial());
    const shaded = new THREE.Mesh(new THREE.SphereGeometry(1), [new THREE.MeshLambertMaterial(), new THREE.MeshBasicMaterial()]);
    const group = new THREE.Group();
    const inner = new THREE.Group();
    inner.add(lines, shaded);
    group.add(plane, inner);
    const disposed = watch(
      texture,
      plane.geometry,
      plane.material,
      lines.geometry,
      lines.material,
      shaded.geometry,
      ...shaded.material,
    );
    disposeTree(group);
    expect(disposed()).toBe(8);
  });
});
