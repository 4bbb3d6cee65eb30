/**
 * Tooltip, the WAI-ARIA tooltip pattern (https://www.w3.org/WAI/ARIA/apg/patterns/tooltip/): a short hint about a
 * control, shown while the pointer is over it or it has keyboard focus, hidden by Escape (until the pointer leaves
 * or focus moves away and back), and tied to the control by `aria-describedby` so screen readers read it after the
 * control's name. The hint is always in the DOM (hidden when closed): a description must exist to be referenced.
 * The pointer can move onto the hint without it closing (WCAG 1.4.13: hoverable, dismissable, persistent).
 *
 * The child must be one element that takes focus (a control, or an element given tabIndex={0}); a disabled control
 * cannot, so its hint shows on hover and is read as its description only.
 * `nameOnly`: the hint repeats the control's accessible name (a face's name on a picture button): it is drawn for
 * sighted mouse and keyboard users and hidden from screen readers, which already read it as the name.
 */
import { cloneElement, useEffect, useId, useRef, useState, type ReactElement } from 'react';
import './tooltip.css';

type Trigger = ReactElement<{ 'aria-describedby'?: string }>;

/** How long the pointer rests on a control before its hint shows (focus shows it at once). */
const HOVER_DELAY_MS = 300;
/** The hint's widest (tooltip.css: 20rem). */
const HINT_MAX_PX = 320;

export function Tooltip({
  text,
  children,
  nameOnly = false,
}: {
  text: string | undefined;
  children: Trigger;
  nameOnly?: boolean;
}) {
  const id = useId();
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  // Near the right edge of the window the hint hangs leftwards from the control's right edge instead.
  const [alignEnd, setAlignEnd] = useState(false);
  const anchor = useRef<HTMLSpanElement>(null);
  const hoverTimer = useRef<number | undefined>(undefined);
  const measure = () => {
    const box = anchor.current?.getBoundingClientRect();
    if (box) setAlignEnd(box.left + HINT_MAX_PX > window.innerWidth);
  };
  const open = Boolean(text) && (hovered || focused) && !dismissed;

  useEffect(() => {
    if (!open) return;
    // Escape hides the hint wherever focus is (the pattern's rule), without stopping others that listen for it.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setDismissed(true);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  useEffect(() => () => window.clearTimeout(hoverTimer.current), []);

  if (!text) return children;
  const describedBy =
    [children.props['aria-describedby'], nameOnly ? undefined : id].filter(Boolean).join(' ') || undefined;
  return (
    <span
      ref={anchor}
      className="tooltip-anchor"
      onMouseEnter={() => {
        window.clearTimeout(hoverTimer.current);
        hoverTimer.current = window.setTimeout(() => {
          measure();
          setHovered(true);
        }, HOVER_DELAY_MS);
      }}
      onMouseLeave={() => {
        window.clearTimeout(hoverTimer.current);
        setHovered(false);
        if (!focused) setDismissed(false);
      }}
      onFocus={() => {
        measure();
        setFocused(true);
      }}
      onBlur={() => {
        setFocused(false);
        if (!hovered) setDismissed(false);
      }}
    >
      {cloneElement(children, { 'aria-describedby': describedBy })}
      <span
        role={nameOnly ? undefined : 'tooltip'}
        id={id}
        className={`tooltip${open ? ' open' : ''}${alignEnd ? ' end' : ''}`}
        aria-hidden={nameOnly || undefined}
      >
        {text}
      </span>
    </span>
  );
}
