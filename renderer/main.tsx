import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadPrefs } from './prefs';
import { createAppStore } from './store';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const store = createAppStore(loadPrefs());
document.documentElement.dataset.theme = store.getState().theme;
createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
