/** WCAG 2.1 contrast of two hex colours, and the design tokens of app.css per theme (for tests). */
function channel(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  let h = hex.trim().replace(/^#/, '');
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  if (!/^[0-9a-f]{6}$/i.test(h)) throw new Error(`not a hex colour: ${hex}`);
  const [r, g, b] = [0, 2, 4].map((i) => channel(parseInt(h.slice(i, i + 2), 16)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** (lighter + 0.05) / (darker + 0.05), from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The custom properties of the stylesheet's first `:root` block (light) and of the `:root` inside
 * `@media (prefers-color-scheme: dark)` laid over them (dark).
 */
export function themeTokens(css: string): { light: Record<string, string>; dark: Record<string, string> } {
  const declarations = (block: string) =>
    Object.fromEntries([...block.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
  const light = css.match(/^:root\s*\{([^}]*)\}/m);
  const dark = css.match(/@media\s*\(prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}/);
  if (!light || !dark) throw new Error('app.css: the light :root block or the dark one was not found');
  const lightTokens = declarations(light[1]);
  return { light: lightTokens, dark: { ...lightTokens, ...declarations(dark[1]) } };
}
