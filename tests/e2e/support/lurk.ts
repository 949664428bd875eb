// What the Lurk browser tests share: a small CNN trained by the real CLI on a tenth of MNIST
// (one epoch, about a second) in a models folder of the test's own, and `netlens lurk --json`
// run on it the way a user would.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './harness';

const netlens = path.join(repoRoot, 'build', 'netlens');
const mnist = path.join(repoRoot, '.cache', 'mnist');

function run(args: string[]): string {
  const r = spawnSync(netlens, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`netlens ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** A folder holding mnist-cnn.nlmodel: examples/mnist_cnn.json for one epoch on 10 % of the training set. */
export function trainLurkModel(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-lurk-'));
  const config = JSON.parse(readFileSync(path.join(repoRoot, 'examples', 'mnist_cnn.json'), 'utf8'));
  config.epochs = 2;
  config.percent_of_train_data_to_use = 0.3;
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const models = path.join(dir, 'models');
  mkdirSync(models);
  run(['train', '--config', file, '--data-dir', mnist, '--out', path.join(models, 'mnist-cnn.nlmodel'), '--json']);
  return models;
}

interface Manifest {
  layers: { layer: number; unit_stats: { top_max: { image: number }[] }[] }[];
}

/** The test split's pass by `netlens lurk --split test --json` into a folder of its own; its manifest. */
export function lurkManifest(models: string): Manifest {
  const out = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-lurk-cli-'));
  const summary = JSON.parse(run(['lurk', '--model', path.join(models, 'mnist-cnn.nlmodel'), '--data-dir', mnist, '--split', 'test', '--out', out, '--json']));
  return JSON.parse(readFileSync(path.join(summary.cache, 'manifest.json'), 'utf8'));
}
