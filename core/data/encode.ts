import { hashPassword } from '../auth/password.js';
import type { Field, Module } from '../schema/module.js';
import { toStored } from '../query/values.js';

/** Converts validated payload values to what the columns store; passwords are hashed here. */
export async function encodeValues(module: Module, payload: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) {
    const field = module.fields.get(name);
    if (!field || field.system) continue;
    out[field.column] = await encodeValue(field, value);
  }
  return out;
}

async function encodeValue(field: Field, value: unknown): Promise<unknown> {
  if (value === null || value === undefined) return null;
  switch (field.kind) {
    case 'password':
      return hashPassword(String(value));
    case 'json':
    case 'file': // the handle checkFileHandles made canonical (core/files)
      return JSON.stringify(value);
    case 'number':
      return typeof value === 'number' ? roundToScale(value, field.scale ?? 4) : value;
    default: {
      const stored = toStored(field, value);
      return 'value' in stored ? stored.value : value;
    }
  }
}

/**
 * A DECIMAL(p, s) column keeps s decimals: MySQL rounds the rest away (half away from zero),
 * SQLite would keep them. Rounding here stores the same value on both. The decimal point is
 * moved in the number's shortest text form, so that 1.00005 rounds up as written, not as the
 * binary 1.0000499… it is.
 */
export function roundToScale(value: number, scale: number): number {
  const text = String(Math.abs(value));
  if (/e/i.test(text)) return Number(value.toFixed(scale)); // tiny or huge: the validator bounds magnitude
  const shifted = Math.round(Number(`${text}e${scale}`));
  const rounded = Number(`${shifted}e-${scale}`);
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}

/** Defaults from the definition for fields a create payload leaves out. */
export function withDefaults(module: Module, payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...payload };
  for (const field of module.fields.values()) {
    if (!field.system && field.default !== undefined && !(field.name in out)) out[field.name] = field.default;
  }
  return out;
}
