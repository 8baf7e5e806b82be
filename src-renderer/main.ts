import '@fontsource/noto-sans-kr/400.css';
import '@fontsource/noto-sans-kr/700.css';
import '@xterm/xterm/css/xterm.css';
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { pickHost } from './lib/transport/pick.ts';

const { api, connection } = pickHost();
mount(App, { target: document.getElementById('app')!, props: { api, connection } });
