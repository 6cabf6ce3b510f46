import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Two pages, one for each way of embedding the editor.
export default defineConfig({
  plugins: [react()],
  build: {
    rolldownOptions: {
      input: { vanilla: 'vanilla.html', react: 'react.html' },
    },
  },
});
