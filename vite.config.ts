import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is loaded from file: by the app and from the web server: relative asset URLs, and
// nothing inline (the page runs under a strict CSP), so CSS is emitted as files.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist-renderer',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
    target: 'es2022',
    // One local bundle loaded from disk or 127.0.0.1: size matters less than on the web.
    chunkSizeWarningLimit: 2000,
  },
});
