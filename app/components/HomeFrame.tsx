import type { ReactNode } from 'react';
import { Logo } from './Logo';

/** The frame of every page outside a document: the top bar with the logo (and `actions`), then the main column. */
export function HomeFrame({ actions, mainClassName, testId, children }: { actions?: ReactNode; mainClassName?: string; testId?: string; children: ReactNode }) {
  return (
    <div className="home">
      <header className="topbar topbar-home">
        <Logo />
        {actions}
      </header>
      <main className={mainClassName ? `home-main ${mainClassName}` : 'home-main'} data-testid={testId}>
        {children}
      </main>
    </div>
  );
}
