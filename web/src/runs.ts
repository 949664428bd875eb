// Entry point of the Runs page: mounts the view and connects it to the server that served it.

import './styles.css';
import { chooseEngine } from './engine/choose';
import './views/runs/runs.css';
import { RunsView } from './views/runs/runs';

const root = document.getElementById('app');
if (!root) throw new Error('runs.html: no #app element');
chooseEngine();
new RunsView(root, window.location).start();
