import { badRequest, type ErrorDetail } from '../errors.js';
import type { Module, ModuleGraph } from '../schema/module.js';
import type { CompareOp, Condition, FieldRef, Operand, Quantifier, Scalar } from './ast.js';
import { and, COMPARE_OPS, or, not, QUANTIFIERS } from './ast.js';
import { readAll, type FieldAccess } from './field-access.js';
import { isVariableName } from './variables.js';
import { toStored } from './values.js';
import { pointerSegment } from '../schema/finding.js';

const NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
const MAX_NODES = 500;
const MAX_DEPTH = 24;
const MAX_PATH = 8;

/**
 * Parses the filter language of API.md into a Condition on `module`, checking every path against
 * the graph and the caller's readable fields. All faults are reported at once, each with a JSON
 * pointer into the filter (`/filter/and/0/amount/gt`).
 *
 * @example parseFilter({ amount: { gt: 100000 } }, order, graph) // compare(amount > 100000)
 */
export function parseFilter(
  raw: unknown,
  module: Module,
  graph: ModuleGraph,
  access: FieldAccess = readAll,
  base = '/filter',
): Condition {
  const parser = new FilterParser(graph, access);
  const cond = parser.node(raw, module, base, 0);
  if (parser.details.length > 0) {
    throw badRequest('invalid_filter', 'The filter is not valid; see details, and API.md "Records" for the filter language', parser.details);
  }
  return cond;
}

/** Parses `?filter=` text: URL-decoded JSON. */
export function parseFilterParam(text: string | undefined, module: Module, graph: ModuleGraph, access?: FieldAccess): Condition {
  if (text === undefined || text === '') return and();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw badRequest('invalid_filter', 'filter must be URL-encoded JSON, e.g. {"amount":{"gt":100}}', [
      { path: '/filter', message: 'is not valid JSON' },
    ]);
  }
  return parseFilter(raw, module, graph, access);
}

class FilterParser {
  readonly details: ErrorDetail[] = [];
  private nodes = 0;

  constructor(
    private readonly graph: ModuleGraph,
    private readonly access: FieldAccess,
  ) {}

  private fail(path: string, message: string): Condition {
    this.details.push({ path, message });
    return and();
  }

  node(raw: unknown, module: Module, path: string, depth: number): Condition {
    if (++this.nodes > MAX_NODES) return this.fail(path, `the filter is too large (at most ${MAX_NODES} parts)`);
    if (depth > MAX_DEPTH) return this.fail(path, `the filter is nested too deeply (at most ${MAX_DEPTH})`);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return this.fail(path, 'must be an object such as {"field": value}');
    }
    const parts: Condition[] = [];
    for (const [key, value] of Object.entries(raw)) {
      const at = `${path}/${pointerSegment(key)}`;
      if (key === 'and' || key === 'or') {
        if (!Array.isArray(value)) {
          parts.push(this.fail(at, `${key} takes an array of filters`));
          continue;
        }
        const items = value.map((v, i) => this.node(v, module, `${at}/${i}`, depth + 1));
        parts.push(key === 'and' ? and(...items) : or(...items));
      } else if (key === 'not') {
        parts.push(not(this.node(value, module, at, depth + 1)));
      } else {
        parts.push(this.path(key, value, module, at, depth));
      }
    }
    return and(...parts);
  }

  private path(key: string, value: unknown, module: Module, at: string, depth: number): Condition {
    const segments = key.split('.');
    if (segments.length > MAX_PATH) return this.fail(at, `a path may have at most ${MAX_PATH} steps`);
    const refs: string[] = [];
    let current = module;
    for (let i = 0; i < segments.length; i++) {
      const name = segments[i]!;
      const last = i === segments.length - 1;
      if (!NAME.test(name)) return this.fail(at, `"${name}" is not a field name`);
      const relation = current.relations.get(name);
      // A relation left out of the caller's readable fields is refused like an unknown field (access control).
      if (relation && last && (this.access.canReadRelation?.(current, relation) ?? true)) return this.relation(refs, name, relation.target, value, current, at, depth);
      const field = current.fields.get(name);
      if (!field || !this.access.canRead(current, field)) {
        return this.fail(at, `${current.name} has no field "${name}" you can filter on; known: ${this.known(current)}`);
      }
      if (last) return this.operators({ refs, field: name }, current, value, at);
      if (field.kind !== 'ref') return this.fail(at, `"${name}" is not a reference, so the path cannot continue past it`);
      refs.push(name);
      current = this.graph.modules.get(field.ref!)!;
    }
    return this.fail(at, 'empty path');
  }

  private relation(refs: string[], name: string, target: string, value: unknown, owner: Module, at: string, depth: number): Condition {
    const entries = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
    // `{"tags": {}}` would otherwise be an empty and: no restriction at all.
    if (entries.length === 0) {
      return this.fail(at, `${name} is a to-many relation: use {"some": {…}}, {"none": {…}} or {"every": {…}}`);
    }
    const parts = entries.map(([q, where]) => {
      if (!(QUANTIFIERS as readonly string[]).includes(q)) {
        return this.fail(`${at}/${pointerSegment(q)}`, `use some, none or every on the relation ${owner.name}.${name}`);
      }
      const inner = this.node(where, this.graph.modules.get(target)!, `${at}/${q}`, depth + 1);
      return { kind: 'relation', refs: [...refs], relation: name, quantifier: q as Quantifier, where: inner } as Condition;
    });
    return and(...parts);
  }

  private operators(target: FieldRef, module: Module, value: unknown, at: string): Condition {
    const field = module.fields.get(target.field)!;
    if (value === null || typeof value !== 'object') return this.compare(target, module, 'eq', value, at);
    if (Array.isArray(value)) return this.compare(target, module, 'in', value, at);
    const entries = Object.entries(value);
    if (entries.length === 0) return this.fail(at, 'give a value or an operator such as {"eq": …}');
    if ((field.kind === 'json' || field.kind === 'file') && entries.some(([op]) => op !== 'isNull')) {
      return this.fail(at, `a ${field.kind === 'file' ? 'file' : 'JSON'} field can only be tested with isNull`);
    }
    return and(...entries.map(([op, v]) => {
      if (!(COMPARE_OPS as readonly string[]).includes(op)) {
        return this.fail(`${at}/${pointerSegment(op)}`, `unknown operator "${op}"; use one of ${COMPARE_OPS.join(', ')}`);
      }
      return this.compare(target, module, op as CompareOp, v, `${at}/${op}`);
    }));
  }

  private compare(target: FieldRef, module: Module, op: CompareOp, value: unknown, at: string): Condition {
    const field = module.fields.get(target.field)!;
    const one = (v: unknown, where: string): Scalar | { var: string } | undefined => {
      if (typeof v === 'string' && isVariableName(v)) return { var: v };
      if (v === null && (op === 'eq' || op === 'ne')) return null;
      const stored = toStored(field, v);
      if ('error' in stored || stored.value === null) {
        this.details.push({ path: where, message: 'error' in stored ? stored.error : 'must not be null' });
        return undefined;
      }
      return stored.value;
    };
    let operand: Operand | undefined;
    switch (op) {
      case 'isNull':
        if (typeof value !== 'boolean') return this.fail(at, 'isNull takes true or false');
        operand = value;
        break;
      case 'in':
      case 'nin':
      case 'between': {
        if (!Array.isArray(value)) return this.fail(at, `${op} takes an array`);
        if (op === 'between' && value.length !== 2) return this.fail(at, 'between takes [low, high]');
        if (value.length > 1000) return this.fail(at, `${op} takes at most 1000 values`);
        const items = value.map((v, i) => one(v, `${at}/${i}`));
        if (items.some((v) => v === undefined)) return and();
        if (items.some((v) => v === null)) return this.fail(at, `${op} values must not be null`);
        operand = items as Operand;
        break;
      }
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        if (!['string', 'text', 'enum'].includes(field.kind)) return this.fail(at, `${op} applies to text fields only`);
        if (typeof value !== 'string') return this.fail(at, `${op} takes a string`);
        operand = value;
        break;
      default: {
        const v = one(value, at);
        if (v === undefined) return and();
        operand = v;
      }
    }
    return { kind: 'compare', target, op, value: operand };
  }

  private known(module: Module): string {
    return [...module.fields.values()]
      .filter((f) => this.access.canRead(module, f))
      .map((f) => f.name)
      .concat([...module.relations.keys()])
      .join(', ');
  }
}
