import { describe, expect, it } from 'vitest';
import { findChromium, KNOWN_BROWSERS, NO_BROWSER_HELP } from '../../bench/chromiumArgs.mjs';

describe('findChromium (the browser npm test drives)', () => {
  it('takes CHROMIUM_PATH first, then the first system browser present, else none', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/chrome' }, () => false)).toBe('/opt/chrome');
    expect(findChromium({}, (p) => p === '/usr/bin/google-chrome')).toBe('/usr/bin/google-chrome');
    expect(findChromium({}, (p) => p === KNOWN_BROWSERS[0] || p === '/usr/bin/google-chrome')).toBe(
      '/usr/bin/chromium',
    );
    expect(findChromium({}, () => false)).toBeUndefined();
    expect(NO_BROWSER_HELP).toMatch(/CHROMIUM_PATH/);
  });
});
