/**
 * Ids for the records the lab creates (datasets, runs): `<prefix>-<time in base 36>-<8 random hex digits>`,
 * so ids sort roughly by creation and two made in the same millisecond still differ. Not secret.
 */
export function newId(prefix: string): string {
  const rand = Math.floor(Math.random() * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
  return `${prefix}-${Date.now().toString(36)}-${rand}`;
}
