/**
 * An empty state that says what to do next and has the button to do it (the guided path): a page that cannot
 * show anything yet names the missing step and opens it, instead of only describing it.
 */
import type { ReactNode } from 'react';

export interface NextAction {
  label: string;
  /** A page of the app (`data`, `train`, …) to open, or work to start here. */
  go: string | (() => void);
  disabled?: boolean;
}

/** Opens one of the app's pages, keeping the query (`?backend=`, `?demo`…) as the header's links do. */
export function goToPage(page: string): void {
  location.hash = `#/${page}`;
}

/** `inline`: inside a card already (no card of its own, no heading level of its own). */
export function NextStep({
  title,
  children,
  actions,
  inline,
}: {
  title: string;
  children?: ReactNode;
  actions: NextAction[];
  inline?: boolean;
}) {
  return (
    <section className={inline ? 'next-step' : 'card next-step'} aria-label="Next step">
      {inline ? <p className="next-step-title">{title}</p> : <h3>{title}</h3>}
      {children}
      <p className="controls">
        {actions.map((a, i) => (
          <button
            key={a.label}
            className={i === 0 ? 'primary' : undefined}
            disabled={a.disabled}
            onClick={() => (typeof a.go === 'string' ? goToPage(a.go) : a.go())}
          >
            {a.label}
          </button>
        ))}
      </p>
    </section>
  );
}
