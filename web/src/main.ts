// Entry point: mounts the Playground on the page and connects it to the server that served it.

import './styles.css';
import { chooseEngine } from './engine/choose';
import { Playground } from './views/playground/playground';

const root = document.getElementById('app');
if (!root) throw new Error('index.html: no #app element');
chooseEngine();
new Playground(root, window.location).start();
