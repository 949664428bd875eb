// Entry point of the Digits page: mounts the view and connects it to the server that served it.

import './styles.css';
import { chooseEngine } from './engine/choose';
import './views/digits/digits.css';
import { DigitsView } from './views/digits/digits';

const root = document.getElementById('app');
if (!root) throw new Error('digits.html: no #app element');
chooseEngine();
new DigitsView(root, window.location).start();
