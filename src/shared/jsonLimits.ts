/**
 * Limits on untrusted JSON, checked before it is parsed (issue 18 item 6): a 5 MB model.json of nested arrays
 * made the validator fail with "Maximum call stack size exceeded", a 10 MB nested manifest.json took 26 s and
 * 1.5 GB before its refusal echoed `[[[[…`. One linear scan finds the nesting depth (brackets inside strings
 * ignored) and refuses with a short message that says the limit in words. Pure.
 */

/** "5.1 MB", "172.6 kB", "812 bytes". */
export function describeBytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} bytes`;
}

/** The deepest nesting of `[` / `{` in JSON text, stopping once it passes `stopAt`. */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > stopAt) return deepest;
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return deepest;
}

/** Throws "`what` nests more than `max` levels deep; …" when it does. */
export function checkJsonDepth(text: string, max: number, what: string): void {
  if (jsonDepth(text, max) > max)
    throw new Error(`${what} nests more than ${max} levels deep (files we write use far fewer); refusing it.`);
}

/** Throws "`what` is 5.1 MB; the largest we accept is 2.0 MB (why)." when `bytes` exceeds `max`. */
export function checkSize(bytes: number, max: number, what: string, why: string): void {
  if (bytes <= max) return;
  // Just over the limit, both round alike ("5.2 MB; … 5.2 MB"): then say the exact bytes.
  const close = describeBytes(bytes) === describeBytes(max);
  const say = (n: number) => (close ? `${n.toLocaleString('en-US')} bytes` : describeBytes(n));
  throw new Error(`${what} is ${say(bytes)}; the largest we accept is ${say(max)} (${why}).`);
}
