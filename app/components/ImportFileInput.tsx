'use client';

import { IMPORT_ACCEPT } from '@tandem/editor';
import type { Ref } from 'react';

/** The hidden file input behind the Import buttons: Markdown, HTML or Word, one file at a time. */
export function ImportFileInput({ ref, onFile, testId }: { ref: Ref<HTMLInputElement>; onFile: (file: File) => void; testId: string }) {
  return (
    <input
      ref={ref}
      type="file"
      accept={IMPORT_ACCEPT}
      hidden
      data-testid={testId}
      onChange={(event) => {
        const file = event.currentTarget.files?.[0];
        event.currentTarget.value = ''; // choosing the same file again still counts
        if (file) onFile(file);
      }}
    />
  );
}
