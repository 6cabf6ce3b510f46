'use client';

import { initialsOf, textColorOn, USER_COLORS, type EditorUser } from '@tandem/editor';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useDismiss } from '@/lib/useDismiss';

/**
 * "You": your avatar, which opens a small panel to change the name and colour others see. The
 * page owns whether the panel is open (`open`, `onOpenChange`), so that the first-visit hint can
 * open it too; it only ever opens because the person asked.
 */
export function IdentityMenu({
  user,
  onChange,
  open,
  onOpenChange,
}: {
  user: EditorUser;
  onChange: (user: EditorUser) => void;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const [name, setName] = useState(user.name);
  const [color, setColor] = useState(user.color);
  const panel = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const close = useCallback(() => onOpenChange(false), [onOpenChange]);
  useDismiss(open, close, panel, trigger);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    setName(user.name);
    setColor(user.color);
    input.current?.select();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset the fields when the panel opens, not when the name changes elsewhere
  }, [open]);

  const save = (event: React.FormEvent) => {
    event.preventDefault();
    onChange({ name: name.trim() || user.name, color });
    close();
    trigger.current?.focus();
  };

  return (
    <div className="identity">
      <button
        ref={trigger}
        type="button"
        className="identity-trigger"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        title={`You are ${user.name}. Change name or colour`}
        onClick={() => onOpenChange(!open)}
        data-testid="identity"
      >
        <span className="avatar avatar-self" style={{ background: user.color, color: textColorOn(user.color) }} aria-hidden="true">
          {initialsOf(user.name)}
        </span>
        <span className="identity-name">{user.name}</span>
      </button>
      {open ? (
        <div ref={panel} id={`${id}-panel`} className="popover-panel identity-panel" role="dialog" aria-label="Your name and colour">
          <form onSubmit={save}>
            <p className="identity-hint">This is how others will see you here.</p>
            <label htmlFor={`${id}-name`}>Your name</label>
            <input ref={input} id={`${id}-name`} value={name} maxLength={40} autoComplete="nickname" onChange={(e) => setName(e.target.value)} />
            <fieldset>
              <legend>Colour</legend>
              <div className="swatches">
                {USER_COLORS.map((c) => (
                  <label key={c} className="swatch" style={{ background: c }} title={c}>
                    <input type="radio" name={`${id}-color`} value={c} checked={color === c} onChange={() => setColor(c)} />
                    <span className="sr-only">{c}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="identity-actions">
              <button type="submit" className="button button-primary">Done</button>
            </div>
          </form>
        </div>
      ) : null}
    </div>
  );
}
