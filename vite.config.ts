/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The base path is a build setting so the app can be hosted under a sub-path
// (static hosts often require it): REEL_BASE=/reel/ npm run build.
const base = process.env.REEL_BASE ?? './';

export default defineConfig({
  base,
  plugins: [svelte()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { port: 5173 },
  preview: { port: 4173 },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
