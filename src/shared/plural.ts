/** "1 step", "2 steps", "0 steps": a count with its noun in the right number (irregular plurals given). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
