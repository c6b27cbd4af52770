/**
 * Checks module definitions before anything is built from them, in the manner of Django's system
 * checks: every fault becomes a Finding with a stable code, a JSON pointer and a hint, and all of
 * them are reported at once so that an author fixes a definition in one round, not one per fault.
 *
 * Two passes: the meta-schema (the shape of one definition, via ajv), then the graph (what needs
 * the other definitions: refs, inverses, ref paths, name clashes, defaults, decimal scale).
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ErrorObject } from 'ajv';
import { pointer, type Finding } from './finding.js';
import { MODULE_NAME, metaSchema } from './meta-schema.js';
import { SOFT_DELETE_FIELDS, SYSTEM_FIELDS } from './module.js';
import { fieldKind } from './build-graph.js';
import { expandDefinition, fieldTypeNames } from './field-types.js';
import { enumTitleFindings } from './enum-titles.js';

export interface CheckOptions {
  /** Modules defined elsewhere (definitions or Module objects), so that refs to them resolve. */
  readonly existing?: ReadonlyMap<string, unknown>;
  /** Where each definition came from (a file path), prefixed to its findings' messages. */
  readonly sources?: readonly (string | undefined)[];
}

type Obj = Record<string, unknown>;
type Draft = Omit<Finding, 'module'>;

/** Words that the query language gives a meaning of its own (`?filter[or][...]`). */
const FILTER_WORDS = ['and', 'or', 'not', 'some', 'none', 'every'];
const SYSTEM: readonly string[] = SYSTEM_FIELDS;

// strictRequired is off because if/then tests for keys (`required: ['x-ref']`) that only the then-branch declares.
const ajv = new Ajv2020.default({ allErrors: true, strict: true, strictRequired: false });
addFormats.default(ajv);
const validateShape = ajv.compile(metaSchema);

/** For `default` values: property schemas carry x- keywords that strict mode would refuse. */
const lenient = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(lenient);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const MODULE_NAME_RE = new RegExp(MODULE_NAME);
const isModuleName = (v: unknown): v is string => typeof v === 'string' && MODULE_NAME_RE.test(v);

/**
 * Checks definitions and returns every finding (empty when all are valid); never throws.
 * Each finding names its module (`$id`, or `#<index>` without a valid one) and points into it.
 */
export function checkDefinitions(written: unknown[], opts: CheckOptions = {}): Finding[] {
  // Properties of a plugin's field type are checked as the plain schema they stand for.
  const defs = written.map(expandDefinition);
  const graph = new Graph(defs, opts.existing, opts.sources);
  const findings: Finding[] = [];
  defs.forEach((def, i) => {
    const module = isObj(def) && isModuleName(def.$id) ? def.$id : `#${i}`;
    const source = opts.sources?.[i];
    const shape = shapeFindings(def);
    // One finding per pointer: a keyword with the wrong shape needs no graph check on top.
    const shapePointers = new Set(shape.map((f) => f.pointer));
    const graphFindings = graph.findings(def, i, shape).filter((f) => !shapePointers.has(f.pointer));
    const drafts = [...shape, ...graphFindings];
    for (const d of drafts) {
      findings.push({ ...d, module, message: source ? `${source}: ${d.message}` : d.message });
    }
  });
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Pass 1: the meta-schema, with ajv's errors turned into findings.

function shapeFindings(def: unknown): Draft[] {
  if (validateShape(def)) return [];
  const seen = new Set<string>();
  const out: Draft[] = [];
  for (const e of validateShape.errors ?? []) {
    const d = translate(e, def);
    const key = d && `${d.code} ${d.pointer} ${d.message}`;
    if (d && !seen.has(key!)) {
      seen.add(key!);
      out.push(d);
    }
  }
  return out;
}

/** Keywords whose errors only summarise the errors of their subschemas, reported separately. */
const SUMMARIES = new Set(['if', 'anyOf', 'oneOf', 'allOf', 'propertyNames', '$ref']);
const PROPERTY_PATH = /^\/properties\/[^/]+/;

function translate(e: ErrorObject, def: unknown): Draft | undefined {
  if (SUMMARIES.has(e.keyword)) return undefined;
  const p = e.params as Obj;
  const inProperty = PROPERTY_PATH.test(e.instancePath);

  if (e.propertyName !== undefined) {
    const at = e.instancePath + pointer(e.propertyName);
    const where =
      e.instancePath === '/properties'
        ? 'property'
        : e.instancePath.startsWith('/x-scope-paths')
          ? 'module'
          : 'language';
    return {
      code: 'name_invalid',
      pointer: at,
      message: `'${e.propertyName}' is not a valid ${where} name`,
      hint: {
        property:
          'start with a lowercase letter; use letters, digits and _ only, at most 63 characters (e.g. orderDate)',
        module: 'use the $id of a module: lowercase letters, digits and _',
        language: 'use a language tag such as en, zh or zh-CN',
      }[where],
    };
  }
  if (e.keyword === 'required' || e.keyword === 'dependentRequired') {
    const missing = String(p.missingProperty);
    const at = e.instancePath + pointer(missing);
    if (e.keyword === 'dependentRequired') {
      return {
        code: 'property_misplaced_keyword',
        pointer: e.instancePath + pointer(String(p.property)),
        message: `'${String(p.property)}' only applies to a reference (x-ref)`,
        hint: 'add "x-ref": "<module>", or remove it',
      };
    }
    if (inProperty && missing === 'type') {
      return {
        code: 'property_bad_type',
        pointer: at,
        message: 'a property needs a type',
        hint: 'add "type": one of string, integer, number, boolean, object, array',
      };
    }
    return {
      code: 'definition_missing_keyword',
      pointer: at,
      message: `'${missing}' is required`,
      hint: REQUIRED_HINTS[missing] ?? `add "${missing}"`,
    };
  }
  if (e.keyword === 'additionalProperties') {
    const key = String(p.additionalProperty);
    return {
      code: 'definition_unknown_keyword',
      pointer: e.instancePath + pointer(key),
      message: `unknown keyword '${key}'`,
      hint: e.instancePath.startsWith('/x-list')
        ? 'x-list accepts columns, search, filters and sort'
        : e.instancePath.startsWith('/x-i18n')
          ? 'a translation accepts title, properties and enums'
          : 'remove it, or start a keyword of your own with x-',
    };
  }
  if (e.keyword === 'false schema') {
    const segments = e.instancePath.split('/');
    const key = unescape(segments.pop()!);
    const prop = at(def, segments.join('/'));
    return {
      code: 'property_misplaced_keyword',
      pointer: e.instancePath,
      message: `'${key}' does not apply to ${describeKind(prop)} property`,
      hint: MISPLACED_HINTS[key] ?? 'remove it, or change the property type',
    };
  }
  if (inProperty && /^\/properties\/[^/]+\/(type|x-type)$/.test(e.instancePath)) {
    return {
      code: 'property_bad_type',
      pointer: e.instancePath,
      message: describe(e),
      hint: `use "type": string, integer, number, boolean, object or array (or "x-type": "json" or "file"${fieldTypeNames().length > 0 ? `, or a field type of a plugin with no other "type": ${fieldTypeNames().join(', ')}` : ''})`,
    };
  }
  if (e.instancePath === '/$id' && e.keyword === 'pattern') {
    return {
      code: 'name_invalid',
      pointer: e.instancePath,
      message: `'${String(at(def, '/$id'))}' is not a valid module name`,
      hint: 'start with a lowercase letter; use lowercase letters, digits and _ only, at most 63 characters (e.g. sales_order)',
    };
  }
  return {
    code: inProperty ? 'property_invalid' : 'definition_invalid',
    pointer: e.instancePath,
    message: describe(e),
    hint:
      e.instancePath === '/additionalProperties'
        ? 'remove it, or set it to false: fields outside properties are always refused'
        : 'see "Module definitions" in docs/API.md for the allowed values',
  };
}

const REQUIRED_HINTS: Record<string, string> = {
  $id: 'add "$id": "<module name>", e.g. "sales_order"',
  type: 'add "type": "object"',
  properties: 'add "properties": { "<field>": { "type": "string", "maxLength": 100 } }',
};

const MISPLACED_HINTS: Record<string, string> = {
  'x-ref':
    'a reference is { "type": "integer", "x-ref": "<module>" }; many-to-many is { "type": "array", "items": { "type": "integer" }, "x-ref": "<module>" }',
  'x-inverse': 'a one-to-many list is { "type": "array", "x-inverse": "<module>.<ref field>" }',
  'x-precision': 'x-precision and x-scale belong to { "type": "number" }',
  'x-scale': 'x-precision and x-scale belong to { "type": "number" }',
  maxLength: 'maxLength belongs to { "type": "string" }',
  'x-search-index': '"x-search-index": "trigram" belongs to a text property: { "type": "string" }',
  minimum: 'minimum belongs to integer and number properties',
  maximum: 'maximum belongs to integer and number properties',
};

/** A human reading of one ajv error, without the path (the pointer says where). */
function describe(e: ErrorObject): string {
  const p = e.params as Obj;
  switch (e.keyword) {
    case 'type':
      return `must be ${article(String(p.type))}`;
    case 'enum':
      return `must be one of: ${(p.allowedValues as unknown[]).map((v) => String(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    case 'minLength':
      return Number(p.limit) === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters`;
    case 'minItems':
      return `must have at least ${String(p.limit)} item${Number(p.limit) === 1 ? '' : 's'}`;
    case 'uniqueItems':
      return `must not repeat items (items ${String(p.j)} and ${String(p.i)} are equal)`;
    case 'pattern':
      return `must match ${String(p.pattern)}`;
    case 'format':
      return String(p.format) === 'regex' ? 'is not a valid regular expression' : `must be a valid ${String(p.format)}`;
    default:
      return e.message ?? 'is invalid';
  }
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** The value at a JSON pointer, or undefined. */
function at(root: unknown, ptr: string): unknown {
  if (ptr === '') return root;
  let v = root;
  for (const s of ptr.slice(1).split('/')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Obj)[unescape(s)];
  }
  return v;
}

function describeKind(prop: unknown): string {
  if (!isObj(prop)) return 'this';
  if (prop['x-type'] === 'file') return 'a file';
  if (prop['x-type'] === 'json' || prop.type === 'object') return 'a json';
  if (prop.type === 'array') {
    return typeof prop['x-ref'] === 'string'
      ? 'a many-to-many'
      : typeof prop['x-inverse'] === 'string'
        ? 'a one-to-many'
        : 'a json';
  }
  return typeof prop.type === 'string' ? article(prop.type) : 'this';
}

// ---------------------------------------------------------------------------------------------
// Pass 2: the graph.

const refTarget = (prop: unknown): string | undefined =>
  isObj(prop) && prop.type === 'integer' && typeof prop['x-ref'] === 'string' ? prop['x-ref'] : undefined;
const isManyToMany = (prop: unknown): prop is Obj =>
  isObj(prop) && prop.type === 'array' && typeof prop['x-ref'] === 'string';
const isOneToMany = (prop: unknown): prop is Obj =>
  isObj(prop) && prop.type === 'array' && typeof prop['x-inverse'] === 'string' && prop['x-ref'] === undefined;
const propertiesOf = (def: unknown): Obj => (isObj(def) && isObj(def.properties) ? def.properties : {});
const stringsAt = (v: unknown): [number, string][] =>
  Array.isArray(v) ? v.flatMap((s, i): [number, string][] => (typeof s === 'string' ? [[i, s]] : [])) : [];

/** A Module object (from the graph builder) or a raw definition: either way, its definition. */
const definitionOf = (v: unknown): Obj | undefined =>
  isObj(v) && isObj(v.definition) && typeof v.name === 'string' ? v.definition : isObj(v) ? v : undefined;

/** Where a ref path ends: the module (name and definition) that holds its last segment. */
type Resolved = { ok: true; module: string; def: Obj; last: string } | { ok: false; why: string };

class Graph {
  /** Module name → its definition; the first definition wins when names clash. */
  private readonly modules = new Map<string, Obj>();
  private readonly firstIndex = new Map<string, number>();
  private readonly installed = new Set<string>();
  /** Lower-cased junction table name → the module and field that need it. */
  private readonly junctions = new Map<string, { module: string; field: string }[]>();

  constructor(
    private readonly defs: unknown[],
    existing: ReadonlyMap<string, unknown> = new Map(),
    private readonly sources: readonly (string | undefined)[] = [],
  ) {
    for (const [name, v] of existing) {
      const def = expandDefinition(definitionOf(v));
      if (def) {
        this.modules.set(name, def);
        this.installed.add(name);
      }
    }
    defs.forEach((def, i) => {
      if (isObj(def) && isModuleName(def.$id) && !this.modules.has(def.$id)) {
        this.modules.set(def.$id, def);
        this.firstIndex.set(def.$id, i);
      }
    });
    for (const [module, def] of this.modules) {
      for (const [field, prop] of Object.entries(propertiesOf(def))) {
        if (!isManyToMany(prop)) continue;
        const table = `${module}_${field}`.toLowerCase();
        this.junctions.set(table, [...(this.junctions.get(table) ?? []), { module, field }]);
      }
    }
  }

  findings(def: unknown, index: number, shape: readonly Draft[]): Draft[] {
    if (!isObj(def)) return [];
    const name = isModuleName(def.$id) ? def.$id : undefined;
    const out: Draft[] = [];
    if (name) out.push(...this.clashes(name, index));
    const props = propertiesOf(def);
    for (const [field, prop] of Object.entries(props)) {
      const here = pointer('properties', field);
      const faulty = shape.some((f) => f.pointer === here || f.pointer.startsWith(here + '/'));
      out.push(...this.propertyFindings(name, field, prop, faulty));
    }
    out.push(...caseClashes(props), ...ownerFindings(def, props), ...softDeleteFindings(def, props), ...enumTitleFindings(def, props));
    out.push(...this.nameListFindings(def, props));
    const self = name ?? 'this module';
    out.push(...this.listFindings(self, def), ...this.scopePathFindings(self, def));
    return out;
  }

  private clashes(name: string, index: number): Draft[] {
    const out: Draft[] = [];
    // A many-to-many field of an installed module stores its links in the table `<module>_<field>`
    // (among definitions checked together, the clash is reported on the many-to-many field).
    const junction = (this.junctions.get(name.toLowerCase()) ?? []).find((j) => j.module !== name && this.installed.has(j.module));
    if (junction) {
      out.push({
        code: 'name_clash',
        pointer: '/$id',
        message: `'${name}' is the table of the many-to-many field ${junction.module}.${junction.field}`,
        hint: 'choose another $id',
      });
    }
    const first = this.firstIndex.get(name);
    if (this.installed.has(name) || (first !== undefined && first !== index)) {
      out.push({
        code: 'name_clash',
        pointer: '/$id',
        message: this.installed.has(name)
          ? `a module named '${name}' is already installed`
          : `${this.sources[first!] ?? `definition #${first}`} is also named '${name}'`,
        hint: 'choose another $id; to change an installed module, update it instead of adding it again',
      });
    }
    for (const [field, prop] of Object.entries(propertiesOf(this.defs[index]))) {
      if (!isManyToMany(prop)) continue;
      const table = `${name}_${field}`.toLowerCase();
      if (table.length > 64) {
        out.push({
          code: 'name_too_long',
          pointer: pointer('properties', field),
          message: `the many-to-many field '${field}' needs a junction table '${name}_${field}', longer than the 64 characters a table name may have`,
          hint: 'shorten the field or the module name',
        });
      }
      const moduleClash = [...this.modules.keys()].find((m) => m.toLowerCase() === table);
      const others = (this.junctions.get(table) ?? []).filter((j) => j.module !== name || j.field !== field);
      if (moduleClash || others.length > 0) {
        const other = moduleClash
          ? `the module '${moduleClash}'`
          : `the many-to-many field ${others[0]!.module}.${others[0]!.field}`;
        out.push({
          code: 'name_clash',
          pointer: pointer('properties', field),
          message: `the many-to-many field '${field}' needs a junction table '${name}_${field}', a name already taken by ${other}`,
          hint: 'rename the field or the other module',
        });
      }
    }
    return out;
  }

  private propertyFindings(name: string | undefined, field: string, prop: unknown, faulty: boolean): Draft[] {
    const out: Draft[] = [];
    const here = (...rest: string[]) => pointer('properties', field, ...rest);
    if (SYSTEM.includes(field) || FILTER_WORDS.includes(field)) {
      out.push({
        code: 'name_reserved',
        pointer: here(),
        message: SYSTEM.includes(field)
          ? `'${field}' is a system field that every record already has`
          : `'${field}' is reserved: it is a word of the filter language`,
        hint: `rename the property; reserved names are ${[...SYSTEM, ...FILTER_WORDS].join(', ')}`,
      });
    }
    if (!isObj(prop)) return out;
    const target = typeof prop['x-ref'] === 'string' ? prop['x-ref'] : undefined;
    if (target !== undefined && isModuleName(target) && !this.modules.has(target)) {
      out.push({
        code: 'ref_unknown',
        pointer: here('x-ref'),
        message: `'${target}' is not a module`,
        hint: `define the module '${target}', or refer to one of: ${[...this.modules.keys()].sort().join(', ')}`,
      });
    }
    if (isOneToMany(prop) && name) out.push(...this.inverseFindings(name, field, String(prop['x-inverse'])));
    if (faulty) return out; // the shape is wrong: a default or scale check would only add noise
    if (typeof prop.pattern === 'string' && !unicodeRegex(prop.pattern)) {
      out.push({
        code: 'pattern_invalid',
        pointer: here('pattern'),
        message: `'${prop.pattern}' is not a valid Unicode regular expression, as payloads are checked with one`,
        hint: 'remove escapes that Unicode mode refuses, such as \\- outside a character class',
      });
    }
    if (prop.type === 'number') {
      const precision = typeof prop['x-precision'] === 'number' ? prop['x-precision'] : 18;
      const scale = typeof prop['x-scale'] === 'number' ? prop['x-scale'] : 4;
      if (scale > precision) {
        out.push({
          code: 'scale_invalid',
          pointer: here(prop['x-scale'] === undefined ? 'x-precision' : 'x-scale'),
          message: `x-scale ${scale}${prop['x-scale'] === undefined ? ' (the default)' : ''} is larger than x-precision ${precision}`,
          hint: 'x-scale counts the digits after the decimal point, so it must be at most x-precision',
        });
      }
    }
    if ('default' in prop) out.push(...defaultFindings(prop, here('default')));
    if ('x-search-index' in prop && fieldKind(prop) !== 'string' && fieldKind(prop) !== 'text') {
      out.push({
        code: 'search_index_not_text',
        pointer: here('x-search-index'),
        message: `a trigram search index serves free text; '${field}' is stored as ${fieldKind(prop)}`,
        hint: 'put "x-search-index": "trigram" on a string property without enum or a date, time or password format',
      });
    }
    return out;
  }

  private inverseFindings(name: string, field: string, inverse: string): Draft[] {
    const [target = '', via = ''] = inverse.split('.');
    const ptr = pointer('properties', field, 'x-inverse');
    const targetDef = this.modules.get(target);
    if (!targetDef || !Object.hasOwn(propertiesOf(targetDef), via)) {
      return [
        {
          code: 'inverse_unknown',
          pointer: ptr,
          message: targetDef ? `'${via}' is not a property of ${target}` : `'${target}' is not a module`,
          hint: `name a reference back to ${name}: "<module>.<field>" where that field is { "type": "integer", "x-ref": "${name}" }`,
        },
      ];
    }
    if (refTarget(propertiesOf(targetDef)[via]) !== name) {
      return [
        {
          code: 'inverse_not_a_ref',
          pointer: ptr,
          message: `${target}.${via} is not a reference to ${name}`,
          hint: `x-inverse must name a field with "x-ref": "${name}"`,
        },
      ];
    }
    return [];
  }

  /** `required`, `x-unique` and `x-index` name properties of this module. */
  private nameListFindings(def: Obj, props: Obj): Draft[] {
    const out: Draft[] = [];
    const known = Object.keys(props);
    for (const [i, f] of stringsAt(def.required)) {
      if (!Object.hasOwn(props, f)) {
        out.push({
          code: 'required_unknown',
          pointer: pointer('required', i),
          message: `'${f}' is not a property`,
          hint: `list only properties: ${known.join(', ')}`,
        });
      } else if (isOneToMany(props[f])) {
        out.push({
          code: 'required_unknown',
          pointer: pointer('required', i),
          message: `'${f}' is a one-to-many list, which is read-only and cannot be required`,
          hint: 'remove it from required',
        });
      } else if (isObj(props[f]) && (props[f] as Obj)['x-on-delete'] === 'set-null') {
        out.push({
          code: 'ref_set_null_required',
          pointer: pointer('properties', f, 'x-on-delete'),
          message: `'${f}' is required, so deleting the record it refers to cannot set it to null`,
          hint: 'use "x-on-delete": "restrict" or "cascade", or make the reference optional',
        });
      }
    }
    for (const key of ['x-unique', 'x-index'] as const) {
      const sets = Array.isArray(def[key]) ? (def[key] as unknown[]) : [];
      sets.forEach((set, i) => {
        for (const [j, f] of stringsAt(set)) {
          const stored =
            SYSTEM.includes(f) || (Object.hasOwn(props, f) && !isManyToMany(props[f]) && !isOneToMany(props[f]));
          if (stored) continue;
          out.push({
            code: key === 'x-unique' ? 'unique_unknown' : 'index_unknown',
            pointer: pointer(key, i, j),
            message: Object.hasOwn(props, f) ? `'${f}' is a relation, not a column` : `'${f}' is not a property`,
            hint: `use stored fields only: ${known.filter((k) => !isManyToMany(props[k]) && !isOneToMany(props[k])).join(', ')}`,
          });
        }
      });
    }
    return out;
  }

  private listFindings(name: string, def: Obj): Draft[] {
    const list = def['x-list'];
    if (!isObj(list)) return [];
    const entries: [string, string, 'columns' | 'search' | 'filters' | 'sort'][] = [];
    for (const key of ['columns', 'search', 'filters'] as const) {
      for (const [i, path] of stringsAt(list[key])) entries.push([pointer('x-list', key, i), path, key]);
    }
    if (typeof list.sort === 'string') {
      for (const part of list.sort.split(',')) entries.push([pointer('x-list', 'sort'), part.replace(/^[-+]/, ''), 'sort']);
    }
    const out: Draft[] = [];
    for (const [ptr, path, key] of entries) {
      const r = this.resolve(name, def, path);
      if (!r.ok) {
        out.push({
          code: 'list_unknown',
          pointer: ptr,
          message: `'${path}': ${r.why}`,
          hint: 'use a field of this module, or a ref path through x-ref fields such as customer.name',
        });
        continue;
      }
      // The default sort applies to every list and q to every search: a field they cannot use
      // would make each list request fail (400), or each search a server error.
      const kind = SYSTEM.includes(r.last) ? 'system' : storedKind(propertiesOf(r.def)[r.last]);
      if (key === 'sort' && (kind === 'relation' || kind === 'json' || kind === 'file' || kind === 'text' || kind === 'password')) {
        out.push({
          code: 'list_unsortable',
          pointer: ptr,
          message: `'${path}' cannot be sorted: it is ${kind === 'relation' ? 'a to-many relation' : kind === 'json' ? 'a JSON field' : kind === 'file' ? 'a file' : kind === 'password' ? 'a password, which no one may read' : 'long text (a string without maxLength)'}`,
          hint: 'sort by a number, date, reference or a string with maxLength',
        });
      }
      if (key === 'search' && kind !== 'string' && kind !== 'text' && kind !== 'enum') {
        out.push({
          code: 'list_unsearchable',
          pointer: ptr,
          message: `'${path}' cannot be searched: q looks for text, and it is not a text field`,
          hint: 'list only string fields in x-list.search (filters find numbers, dates and references)',
        });
      }
    }
    return out;
  }

  private scopePathFindings(name: string, def: Obj): Draft[] {
    const paths = def['x-scope-paths'];
    if (!isObj(paths)) return [];
    const out: Draft[] = [];
    for (const [base, path] of Object.entries(paths)) {
      if (typeof path !== 'string') continue;
      const why = this.scopePathFault(name, def, base, path);
      if (why) {
        out.push({
          code: 'scope_path_invalid',
          pointer: pointer('x-scope-paths', base),
          message: `'${path}' ${why}`,
          hint: `give a ref path from ${name} that ends at a reference to ${base} (e.g. salesman.${base}), or at ${base}'s own id`,
        });
      }
    }
    return out;
  }

  private scopePathFault(name: string, def: Obj, base: string, path: string): string | undefined {
    if (!this.modules.has(base)) return `cannot carry the scope of '${base}', which is not a module`;
    const r = this.resolve(name, def, path);
    if (!r.ok) return r.why;
    if (r.last === 'id' && r.module === base) return undefined;
    const target = refTarget(propertiesOf(r.def)[r.last]);
    return target === base ? undefined : `does not end at a reference to ${base}`;
  }

  /** Follows a ref path (`customer.region.name`): every segment but the last must be an x-ref. */
  private resolve(start: string, startDef: Obj, path: string): Resolved {
    const segments = path.split('.');
    let module = start;
    let def = startDef;
    for (const [i, segment] of segments.entries()) {
      const props = propertiesOf(def);
      const last = i === segments.length - 1;
      if (last) {
        return Object.hasOwn(props, segment) || SYSTEM.includes(segment)
          ? { ok: true, module, def, last: segment }
          : { ok: false, why: `'${segment}' is not a field of ${module}` };
      }
      const target = refTarget(props[segment]);
      if (!Object.hasOwn(props, segment)) return { ok: false, why: `'${segment}' is not a field of ${module}` };
      if (target === undefined) return { ok: false, why: `'${segment}' of ${module} is not a reference (x-ref)` };
      const next = this.modules.get(target);
      if (!next) return { ok: false, why: `'${segment}' refers to '${target}', which is not a module` };
      module = target;
      def = next;
    }
    return { ok: false, why: 'is empty' };
  }
}

/**
 * Column names are case-insensitive on both databases: `nAme` next to `name`, or `iD` next to
 * the system field `id`, would be one column, which the database refuses.
 */
function caseClashes(props: Obj): Draft[] {
  const out: Draft[] = [];
  const seen = new Map<string, string>(SYSTEM.map((f) => [f.toLowerCase(), f]));
  for (const field of Object.keys(props)) {
    const other = seen.get(field.toLowerCase());
    if (other !== undefined && other !== field) {
      out.push({
        code: 'name_clash',
        pointer: pointer('properties', field),
        message: `'${field}' differs from ${SYSTEM.includes(other) ? 'the system field' : 'the property'} '${other}' only in case; the database would see one column`,
        hint: 'rename the property so that it differs in more than case',
      });
    } else if (other === undefined) seen.set(field.toLowerCase(), field);
  }
  return out;
}

function unicodeRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** With `x-soft-delete` the table gets the system columns deletedAt and deletedBy (any case: one column). */
function softDeleteFindings(def: Obj, props: Obj): Draft[] {
  if (def['x-soft-delete'] !== true) return [];
  const taken = new Map<string, string>(SOFT_DELETE_FIELDS.map((f) => [f.toLowerCase(), f]));
  return Object.keys(props).filter((field) => taken.has(field.toLowerCase())).map((field) => ({
    code: 'name_reserved',
    pointer: pointer('properties', field),
    message: `'${field}' would be the column of the system field '${taken.get(field.toLowerCase())}' that x-soft-delete adds`,
    hint: 'rename the property, or leave out x-soft-delete',
  }));
}

/** `x-owner` names the user who owns a record: a reference to user, or createdBy/updatedBy. */
function ownerFindings(def: Obj, props: Obj): Draft[] {
  if (!('x-owner' in def)) return [];
  const owner = def['x-owner'];
  if (owner === 'createdBy' || owner === 'updatedBy') return [];
  if (typeof owner === 'string' && refTarget(props[owner]) === 'user') return [];
  const users = Object.keys(props).filter((k) => refTarget(props[k]) === 'user');
  return [
    {
      code: 'owner_invalid',
      pointer: '/x-owner',
      message: typeof owner === 'string' ? `'${owner}' is not a reference to user` : 'x-owner must name a field',
      hint: `name a field with "x-ref": "user"${users.length > 0 ? ` (${users.join(', ')})` : ''}, or createdBy`,
    },
  ];
}

/** How a property is stored, as the list settings care: a relation, or fieldKind's answer. */
function storedKind(prop: unknown): string {
  if (!isObj(prop)) return 'json';
  if (isManyToMany(prop) || isOneToMany(prop)) return 'relation';
  return fieldKind(prop);
}

const ANNOTATIONS = new Set([
  'default',
  'examples',
  'title',
  'description',
  '$comment',
  'readOnly',
  'writeOnly',
  'deprecated',
]);

/** A default must itself be a valid value of its property, or every create without it fails. */
function defaultFindings(prop: Obj, ptr: string): Draft[] {
  const schema = Object.fromEntries(Object.entries(prop).filter(([k]) => !ANNOTATIONS.has(k) && !k.startsWith('x-')));
  let validate;
  try {
    validate = lenient.compile(schema);
    lenient.removeSchema(schema); // definitions POSTed at runtime must not pile up in ajv's cache
  } catch {
    return []; // an unusable json schema: the shape pass has said so, or ajv cannot compile it
  }
  if (validate(prop.default)) return [];
  const e = validate.errors?.[0];
  return [
    {
      code: 'default_invalid',
      pointer: ptr,
      message: `the default ${JSON.stringify(prop.default)} ${e ? describe(e) : 'is invalid'}${e?.instancePath ? ` at ${e.instancePath}` : ''}`,
      hint: 'give a default that the property itself accepts, or remove it',
    },
  ];
}
