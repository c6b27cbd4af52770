import { html, render } from 'htm/preact';
import { App } from './app.js';
import { interceptLinks } from './router.js';

interceptLinks();
render(html`<${App} />`, document.getElementById('app')!);
