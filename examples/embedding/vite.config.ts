import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Three pages: an index linking the two embeddings.
export default defineConfig({
  plugins: [react()],
  build: {
    rolldownOptions: {
      input: { index: 'index.html', vanilla: 'vanilla.html', react: 'react.html' },
    },
  },
});
