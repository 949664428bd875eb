// Entry point of the Inside page: mounts the view and connects it to the server that served it.

import './styles.css';
import { chooseEngine } from './engine/choose';
import './views/inside/inside.css';
import { InsideView } from './views/inside/inside';

const root = document.getElementById('app');
if (!root) throw new Error('inside.html: no #app element');
chooseEngine();
new InsideView(root, window.location).start();
