import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadPrefs } from './prefs';
import { createAppStore } from './store';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const prefs = loadPrefs();
// Until the user picks a theme, follow the system's.
const systemDark = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
const store = createAppStore({ theme: systemDark ? 'dark' : 'light', ...prefs });
document.documentElement.dataset.theme = store.getState().theme;
createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
