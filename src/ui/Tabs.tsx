/**
 * Tabs, the WAI-ARIA tabs pattern (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/): a tablist of buttons, one
 * tabpanel per tab. Only the selected tab is in the Tab order (roving tabindex); ←/→ move to the previous/next
 * tab and select it (automatic activation: every panel is already rendered), Home/End to the first/last.
 * The caller owns the selection (keep it in the URL so a reload or link reopens the same tab). Every panel stays
 * mounted and is only hidden, so a panel's results and running jobs survive switching away and back.
 */
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import './tabs.css';

export interface TabSpec<Id extends string> {
  id: Id;
  label: string;
  content: ReactNode;
}

export function Tabs<Id extends string>({
  label,
  tabs,
  selected,
  onSelect,
}: {
  label: string;
  tabs: Array<TabSpec<Id>>;
  selected: Id;
  onSelect: (id: Id) => void;
}) {
  const base = useId();
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const current = Math.max(
    0,
    tabs.findIndex((t) => t.id === selected),
  );
  const move = (to: number) => {
    const i = (to + tabs.length) % tabs.length;
    onSelect(tabs[i].id);
    buttons.current[i]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const keys: Record<string, number> = {
      ArrowRight: current + 1,
      ArrowLeft: current - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    if (!(e.key in keys)) return;
    e.preventDefault();
    move(keys[e.key]);
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tablist" onKeyDown={onKeyDown}>
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              buttons.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${t.id}`}
            aria-selected={i === current}
            aria-controls={`${base}-panel-${t.id}`}
            tabIndex={i === current ? 0 : -1}
            className="tab"
            onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs.map((t, i) => (
        <div
          key={t.id}
          role="tabpanel"
          id={`${base}-panel-${t.id}`}
          aria-labelledby={`${base}-tab-${t.id}`}
          tabIndex={0}
          hidden={i !== current}
          className="tabpanel"
        >
          {t.content}
        </div>
      ))}
    </div>
  );
}
