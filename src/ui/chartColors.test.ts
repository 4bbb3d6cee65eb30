/**
 * The chart tokens, read from app.css as shipped: every series colour must stand out against the chart's
 * background (--color-surface) and the page's (--color-bg) by at least 3:1 (WCAG 2.1 1.4.11, non-text contrast),
 * in the light theme and in the dark one; and the dark theme must override each of them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHART_COLORS } from './chartColors';
import { contrastRatio, themeTokens } from './contrast';

const css = readFileSync(resolve(import.meta.dirname, '../app/app.css'), 'utf8');
const themes = themeTokens(css);
const chartTokens = CHART_COLORS.map((c) => c.replace(/^var\((--[\w-]+)\)$/, '$1'));

describe('chart colour tokens', () => {
  it('finds the light and dark token sets', () => {
    expect(chartTokens).toEqual(['--color-chart-1', '--color-chart-2', '--color-chart-3', '--color-chart-4']);
    for (const t of chartTokens) {
      expect(themes.light[t], `light ${t}`).toMatch(/^#/);
      expect(themes.dark[t], `dark ${t}`).toMatch(/^#/);
      expect(themes.dark[t], `dark ${t} overrides the light one`).not.toBe(themes.light[t]);
    }
  });

  for (const theme of ['light', 'dark'] as const)
    for (const background of ['--color-surface', '--color-bg'])
      it(`${theme}: every series ≥ 3:1 against ${background}`, () => {
        const tokens = themes[theme];
        const ratios = Object.fromEntries(
          chartTokens.map((t) => [t, Number(contrastRatio(tokens[t], tokens[background]).toFixed(2))]),
        );
        console.log(`[contrast] ${theme} on ${background} ${tokens[background]}: ${JSON.stringify(ratios)}`);
        for (const t of chartTokens)
          expect(ratios[t], `${theme} ${t} ${tokens[t]} on ${tokens[background]}`).toBeGreaterThanOrEqual(3);
      });
});

describe('contrastRatio', () => {
  it('gives WCAG values for known pairs', () => {
    expect(contrastRatio('#000', '#fff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#fff', '#fff')).toBeCloseTo(1, 5);
    // #767676 on white is the well-known 4.54:1 grey.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});
