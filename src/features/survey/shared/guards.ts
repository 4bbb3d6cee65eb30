/**
 * Small runtime checks for parsing survey JSON files: each returns the typed value or throws an
 * Error naming the file kind and the offending field.
 */

import { jsonDepth } from '../../../shared/jsonLimits';
import { errorMessage } from '../../../shared/errorMessage';

export type Obj = Record<string, unknown>;

export class Checker {
  constructor(private readonly what: string) {}

  fail(message: string): never {
    throw new Error(`${this.what}: ${message}`);
  }

  parse(text: string): Obj {
    // Kits nest 3 levels, results 3: a deeper file is hostile or broken, refused before JSON.parse (issue 18).
    if (jsonDepth(text, 16) > 16) this.fail('the file nests more than 16 levels deep; refusing it');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.fail(`not valid JSON (${errorMessage(e)})`);
    }
    return this.obj(value, 'file');
  }

  obj(v: unknown, field: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(`${field} must be an object`);
    return v as Obj;
  }

  str(o: Obj, key: string, field = key): string {
    const v = o[key];
    if (typeof v !== 'string') this.fail(v === undefined ? `missing field "${field}"` : `"${field}" must be a string`);
    return v;
  }

  bool(o: Obj, key: string, field = key): boolean {
    const v = o[key];
    if (typeof v !== 'boolean')
      this.fail(v === undefined ? `missing field "${field}"` : `"${field}" must be true or false`);
    return v;
  }

  num(o: Obj, key: string, field = key, integer = false): number {
    const v = o[key];
    if (v === undefined) this.fail(`missing field "${field}"`);
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      this.fail(`"${field}" must be a${integer ? 'n integer' : ' finite number'}`);
    }
    return v;
  }

  arr(o: Obj, key: string, field = key): unknown[] {
    const v = o[key];
    if (!Array.isArray(v)) this.fail(v === undefined ? `missing field "${field}"` : `"${field}" must be an array`);
    return v;
  }

  strings(o: Obj, key: string): string[] {
    return this.arr(o, key).map((v, i) => {
      if (typeof v !== 'string') this.fail(`"${key}[${i}]" must be a string`);
      return v;
    });
  }

  oneOf<T extends string>(o: Obj, key: string, allowed: readonly T[], field = key): T {
    const v = this.str(o, key, field);
    if (!(allowed as readonly string[]).includes(v))
      this.fail(`"${field}" must be one of ${allowed.join(', ')}, got "${v}"`);
    return v as T;
  }
}
