/**
 * The paths of one module under `/api/data/<m>`: what core/api/data-routes.ts and
 * explain-routes.ts serve, with only the operations the caller is granted.
 */
import type { Action } from '../../rules/access.js';
import type { JsonSchema, Module } from '../../schema/module.js';
import { MAX_EXPORT_ROWS } from '../../data/export-records.js';
import { aggregateParameters, documentedQuery, explainUserParameter, exportParameters, idParameter, ifMatchParameter, listParameters } from './parameters.js';
import { names, ref } from './refs.js';
import { bodyErrors, errors } from './responses.js';
import { addIdempotencyKey } from './idempotency-parameter.js';

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema, extra: JsonSchema = {}) => ({ description, content: json(schema), ...extra });
const etag = { headers: { ETag: { description: 'The record version, quoted: send it back as If-Match.', schema: { type: 'string' } } } };
const body = (schema: JsonSchema) => ({ required: true, content: json(schema) });
const query = (name: string, description: string, schema: JsonSchema): JsonSchema => ({ name, in: 'query', description, schema });

/** What the caller may do on a module, and whether they may explain (admins). */
export interface Allowed {
  readonly allowed: ReadonlySet<Action>;
  readonly admin: boolean;
  /** The file fields (`"x-type": "file"`) the caller may read: each has a download path. */
  readonly files?: readonly string[];
}

/** The path items of one readable module, keyed by path. */
export function dataPaths(module: Module, grants: Allowed): Record<string, JsonSchema> {
  const m = module.name;
  const can = (action: Action) => grants.allowed.has(action);
  const op = (verb: string, summary: string, rest: JsonSchema): JsonSchema => ({ tags: [m], operationId: `${m}.${verb}`, summary, ...rest });
  const base = `/api/data/${m}`;
  const paths: Record<string, Record<string, JsonSchema>> = { [base]: {}, [`${base}/{id}`]: {} };
  const one = paths[`${base}/{id}`]!;

  paths[base]!.get = op('list', `List ${m} records`, {
    description: 'A page of the records you may read, and their total.',
    parameters: listParameters(module),
    responses: { 200: ok('A page', ref(names.list(m))), ...errors(400, 401, 403) },
  });
  one.get = op('get', `Read one ${m}`, {
    parameters: [idParameter(), ...documentedQuery('data.get', { fields: { $ref: '#/components/parameters/fields' } })],
    responses: { 200: ok(`The ${m}`, ref(names.record(m)), etag), ...errors(400, 401, 403, 404) },
  });
  if (can('create')) {
    paths[base]!.post = op('create', `Create a ${m}`, {
      description: 'Refused with 403 (nothing written) when the new record would fall outside the records you may create.',
      requestBody: body(ref(names.create(m))),
      responses: { 201: ok(`The new ${m}, as a read returns it`, ref(names.record(m))), ...errors(...bodyErrors, 409) },
    });
  }
  if (can('update')) {
    one.patch = op('update', `Change a ${m}`, {
      description: 'Sets the fields given. With If-Match (or `version` in the body) a record changed since is refused with 409 `stale`.',
      parameters: [idParameter(), ifMatchParameter()],
      requestBody: body(ref(names.patch(m))),
      responses: { 200: ok(`The changed ${m}`, ref(names.record(m)), etag), ...errors(...bodyErrors, 404, 409) },
    });
  }
  if (can('delete') && module.softDelete) {
    one.delete = op('delete', `Delete a ${m}`, {
      description: 'x-soft-delete: marks the record deleted (deletedAt, deletedBy); every read then leaves it out until it is restored. With `purge=true` (admins) a deleted record is removed for good, refused with 409 `referenced` while records that restrict deletion refer to it, and 409 `not_deleted` for a live one.',
      parameters: [idParameter(), ...documentedQuery('data.delete', { purge: query('purge', 'true: remove a deleted record for good (admins).', { type: 'boolean', default: false }) })],
      responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 403, 404, 409) },
    });
    paths[`${base}/{id}/restore`] = {
      post: op('restore', `Restore a deleted ${m}`, {
        description: 'Needs the delete permission, with the deleted record in your delete scope. 409 `not_deleted` when it is live.',
        parameters: [idParameter()],
        responses: { 200: ok(`The restored ${m}`, ref(names.record(m)), etag), ...errors(401, 403, 404, 409) },
      }),
    };
  } else if (can('delete')) {
    one.delete = op('delete', `Delete a ${m}`, {
      description: 'Refused with 409 `referenced` while records that restrict deletion refer to it.',
      parameters: [idParameter(), ...documentedQuery('data.delete', { purge: query('purge', 'Only on a module with x-soft-delete: `true` is answered 400 `soft_delete_off` here.', { type: 'boolean', default: false }) })],
      responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 403, 404, 409) },
    });
  }
  paths[`${base}/{id}/can`] = {
    get: op('can', `What you may do with one ${m}`, {
      description: 'Whether you may update and delete this record (your rules may allow some records only), and which of the enabled plugins\' record actions are offered on it, keyed `<plugin>.<action>`. 404 when you may not read it.',
      parameters: [idParameter(), ...documentedQuery('data.can', {})],
      responses: { 200: ok('What you may do', ref('RecordCan')), ...errors(401, 403, 404) },
    }),
  };
  // The built-in audit plugin's routes (docs/HISTORY.md); 404 `audit_off` while it is disabled.
  paths[`${base}/{id}/history`] = {
    get: op('history', `History of one ${m}`, {
      description: 'Who changed what and when, newest first, with the values before and after of the fields you may read. Readable by whoever may read the record (a soft-deleted one: whoever may restore it).',
      parameters: [idParameter(), ...documentedQuery('data.history', { page: query('page', 'From 1.', { type: 'integer', minimum: 1, default: 1 }), pageSize: query('pageSize', 'At most 500.', { type: 'integer', minimum: 1, maximum: 500, default: 100 }) })],
      responses: { 200: ok('Entries, newest first', ref('HistoryPage')), ...errors(400, 401, 403, 404) },
    }),
  };
  if (can('update')) {
    paths[`${base}/{id}/revert`] = {
      post: op('revert', `Revert a ${m} to a version`, {
        description: 'Applies the values the record had at `version` through an ordinary update: the update permission and scope, validation and uniqueness apply (409 `duplicate`), and If-Match refuses a stale revert. Recorded in the history as a revert.',
        parameters: [idParameter(), ifMatchParameter()],
        requestBody: body({ type: 'object', required: ['version'], properties: { version: { type: 'integer', minimum: 1 } } }),
        responses: { 200: ok(`The ${m} as reverted`, ref(names.record(m)), etag), ...errors(...bodyErrors, 404, 409) },
      }),
    };
  }
  if (grants.files && grants.files.length > 0) {
    paths[`${base}/{id}/files/{field}`] = {
      get: op('download', `Download the file a ${m} holds`, {
        description: 'The bytes of the file in a file field, as an attachment (its name in Content-Disposition, nosniff). 404 when you may not read the record or the field, or the field is empty. Upload a file with `POST /api/files`, then set the field to the handle it answers.',
        parameters: [idParameter(), { name: 'field', in: 'path', required: true, description: 'A file field', schema: { type: 'string', enum: [...grants.files] } }],
        responses: {
          200: { description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } }, headers: { 'Content-Disposition': { schema: { type: 'string' } } } },
          ...errors(401, 403, 404),
        },
      }),
    };
  }
  paths[`${base}/aggregate`] = {
    get: op('aggregate', `Group and aggregate ${m} records`, {
      parameters: aggregateParameters(module),
      responses: { 200: ok('One row per group', ref('AggregateResult')), ...errors(400, 401, 403) },
    }),
  };
  paths[`${base}/export`] = {
    get: op('export', `Export ${m} records as CSV`, {
      description: `The list as CSV (UTF-8 with BOM), every page, at most ${MAX_EXPORT_ROWS} rows. Embedded fields are columns named by their path.`,
      parameters: exportParameters(module),
      responses: {
        200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } }, headers: { 'Content-Disposition': { schema: { type: 'string' } } } },
        ...errors(400, 401, 403),
      },
    }),
  };
  const bulk = (['update', 'delete'] as const).filter(can);
  if (bulk.length > 0) {
    paths[`${base}/bulk`] = {
      post: op('bulk', `Change or delete many ${m} records`, {
        description: 'All or nothing: each record goes through the same checks as a single update or delete, and the first refusal undoes the rest. Error pointers start with `/ids/<index>`.',
        requestBody: body({
          type: 'object',
          required: ['action', 'ids'],
          properties: {
            action: { type: 'string', enum: bulk },
            ids: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, maxItems: 1000 },
            ...(can('update') ? { values: { ...ref(names.patch(m)), description: 'with action=update: the fields to set' } } : {}),
          },
          additionalProperties: false,
        }),
        responses: { 200: ok('Done', ref('BulkResult')), ...errors(...bodyErrors, 404, 409) },
      }),
    };
  }
  if (grants.admin) {
    paths[`${base}/explain`] = {
      get: op('explain', `Explain a user's visibility on ${m} (admins)`, {
        parameters: documentedQuery('data.explain', { user: explainUserParameter() }),
        responses: { 200: ok('Per action', ref('Explain')), ...errors(400, 401, 403, 404) },
      }),
    };
    paths[`${base}/{id}/explain`] = {
      get: op('explainRecord', `Explain whether a user sees one ${m} (admins)`, {
        parameters: [idParameter(), ...documentedQuery('data.explainRecord', { user: explainUserParameter() })],
        responses: { 200: ok('Base by base', ref('ExplainRecord')), ...errors(400, 401, 403, 404) },
      }),
    };
  }
  addIdempotencyKey(paths);
  return paths;
}
