import { mount } from 'svelte';
import App from './app/App.svelte';
import './app/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
// `npm run bench` opens the page with ?bench: the benchmark harness loads instead of the app.
if (new URLSearchParams(location.search).has('bench')) {
  target.textContent = 'Reel benchmark running…';
  void import('./bench/benchPage');
} else {
  mount(App, { target });
}
