import type { ReactNode } from 'react';
import { Logo } from './Logo';
import { ThemeToggle } from './ThemeToggle';

/**
 * The frame of every page outside a document: the top bar with the logo, the theme button (and
 * `actions`), then the main column.
 */
export function HomeFrame({ actions, mainClassName, testId, children }: { actions?: ReactNode; mainClassName?: string; testId?: string; children: ReactNode }) {
  return (
    <div className="home">
      <header className="topbar topbar-home">
        <Logo />
        <div className="topbar-end">
          <ThemeToggle />
          {actions}
        </div>
      </header>
      <main className={mainClassName ? `home-main ${mainClassName}` : 'home-main'} data-testid={testId}>
        {children}
      </main>
    </div>
  );
}
