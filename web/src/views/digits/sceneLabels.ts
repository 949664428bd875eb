// The Digits scene's labels: each stage's two lines, and text on a sprite that faces the camera.

import * as THREE from 'three';
import type { StageInfo } from './messages';

/** A stage's name in a few words, and what it holds: the two lines of its label. */
export function stageLabel(s: StageInfo): [string, string] {
  const maps = (shape: number[]) => `${shape[0]} × ${shape[1]}×${shape[2]}`;
  switch (s.kind) {
    case 'input':
      return ['input', s.shape.length === 3 ? `${s.shape[1]}×${s.shape[2]}` : `${s.shape[0]}`];
    case 'conv':
      return [`conv ${s.kernel}×${s.kernel}`, maps(s.shape)];
    case 'pool':
      return [`${s.name.startsWith('Avg') ? 'avg' : 'max'} pool ${s.kernel}×${s.kernel}`, maps(s.shape)];
    case 'dense':
      return ['dense', `${s.shape[0]} units`];
    case 'output':
      return ['output', 'softmax'];
  }
}

/** Text on a sprite, `height` world units tall, always facing the camera; anchored at `center`. */
export function textSprite(lines: string[], height: number, center: [number, number], colours: string[]): THREE.Sprite {
  const px = 56;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  const font = (i: number) => `${i === 0 ? 600 : 400} ${px}px Helvetica, Arial, sans-serif`;
  const widths = lines.map((l, i) => ((ctx.font = font(i)), ctx.measureText(l).width));
  canvas.width = Math.ceil(Math.max(...widths)) + 8;
  canvas.height = Math.round(px * 1.2 * lines.length);
  lines.forEach((l, i) => {
    ctx.font = font(i);
    ctx.fillStyle = colours[i] ?? colours[0];
    ctx.textBaseline = 'middle';
    ctx.textAlign = center[0] === 0 ? 'left' : 'center';
    ctx.fillText(l, center[0] === 0 ? 4 : canvas.width / 2, px * 1.2 * (i + 0.5));
  });
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  const sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: texture, depthTest: false }));
  sprite.scale.set((height * canvas.width) / canvas.height, height, 1);
  sprite.center.set(...center);
  sprite.renderOrder = 1;
  return sprite;
}
