'use client';

import { type RefObject, useEffect, useRef } from 'react';

/** A ref for a `<dialog>` that is shown as a modal while `open` (focus kept inside, Escape closes) and closed otherwise. */
export function useModalDialog(open: boolean): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return dialog;
}
