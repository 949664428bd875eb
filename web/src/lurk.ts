// Entry point of the Lurk page: mounts the view and connects it to the server that served it.

import './styles.css';
import { chooseEngine } from './engine/choose';
import './views/lurk/lurk.css';
import { LurkView } from './views/lurk/lurk';

const root = document.getElementById('app');
if (!root) throw new Error('lurk.html: no #app element');
chooseEngine();
new LurkView(root, window.location).start();
