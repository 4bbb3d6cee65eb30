/**
 * The chart series colours: CSS custom properties from the design tokens (src/app/app.css), so light and dark
 * mode each get colours readable on their own chart background. A chart picks them by role or in order.
 */
export const CHART_COLORS = [
  'var(--color-chart-1)',
  'var(--color-chart-2)',
  'var(--color-chart-3)',
  'var(--color-chart-4)',
] as const;

/** Series colours by what they show, so the same quantity has the same colour on every chart. */
export const CHART = {
  blue: CHART_COLORS[0],
  orange: CHART_COLORS[1],
  green: CHART_COLORS[2],
  purple: CHART_COLORS[3],
} as const;

/** The i-th series' colour, cycling through the palette. */
export const seriesColor = (i: number): string => CHART_COLORS[i % CHART_COLORS.length];
