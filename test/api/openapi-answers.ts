/**
 * Real answers checked against the OpenAPI document the caller was served: the status must be
 * one the operation documents, and the body must validate (ajv, draft 2020-12, formats asserted)
 * against the documented schema for that status and media type. One checker, used by
 * test/api/openapi.test.ts and the fuzz suite alike.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Client, Reply } from '../support/app.js';

export type Doc = {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any>; parameters: Record<string, any>; responses: Record<string, any> };
};

export interface Answer {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly op: any;
  /** Path-level and operation-level parameters, references resolved. */
  readonly parameters: any[];
}

const BASE = 'https://stratum.test/answers.json';

/** Every operation of the document. */
export function operationsOf(doc: Doc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).filter(([k]) => k !== 'parameters').map(([method, op]) => ({
      method,
      path,
      op,
      parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: any) => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p)),
    })));
}

/** The document's operation that serves `method url`: literal paths before templated ones. */
export function operationFor(doc: Doc, method: string, url: string): Operation | undefined {
  const path = new URL(url, 'http://x').pathname;
  const candidates = operationsOf(doc).filter((o) => o.method === method.toLowerCase());
  const templated = (p: string) => (p.match(/\{/g) ?? []).length;
  return candidates
    .sort((a, b) => templated(a.path) - templated(b.path))
    .find((o) => new RegExp(`^${o.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(decodeURIComponent(path)));
}

/** A checker of answers against `doc`: each call returns the problems found, [] when the answer is as documented. */
export function answerChecker(doc: Doc) {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.addFormat('password', true);
  ajv.addSchema({ $id: BASE, components: { schemas: doc.components.schemas } });
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (key: string, schema: unknown) => {
    let v = compiled.get(key);
    if (!v) {
      // Component references resolve against the document added above.
      v = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${BASE}#/components/schemas/`)));
      compiled.set(key, v);
    }
    return v;
  };
  return (answer: Answer): string[] => {
    const found = operationFor(doc, answer.method, answer.url);
    const at = `${answer.method} ${answer.url.slice(0, 160)} → ${answer.status}`;
    if (!found) return [`${at}: no documented operation`];
    let response = found.op.responses[String(answer.status)] ?? found.op.responses.default;
    if (!response) return [`${at}: status not documented (${Object.keys(found.op.responses).join(', ')})`];
    if (response.$ref) response = doc.components.responses[response.$ref.split('/').pop()];
    const content = response.content as Record<string, { schema?: unknown }> | undefined;
    if (!content) return answer.status === 204 && answer.body !== null && answer.body !== '' ? [`${at}: a 204 with a body`] : [];
    const type = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const media = Object.keys(content).find((m) => m === type || (m === 'application/octet-stream' && type !== ''));
    if (!media) return [`${at}: content-type ${type} is not documented (${Object.keys(content).join(', ')})`];
    const schema = content[media]!.schema;
    if (!schema || media !== 'application/json') return [];
    const validate = validatorOf(`${found.method} ${found.path} ${answer.status}`, schema);
    return validate(answer.body) ? [] : [`${at}: ${validate.errors!.slice(0, 5).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`).join('; ')} in ${JSON.stringify(answer.body).slice(0, 400)}`];
  };
}

/** `client`, with every answer it receives pushed to `into`. */
export function recording(client: Client, into: Answer[]): Client {
  const request = client.request.bind(client);
  client.request = async <T = any>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>> => {
    const reply = await request<T>(method, url, body, headers);
    into.push({ method, url, status: reply.status, body: reply.body, headers: reply.headers });
    return reply;
  };
  // get, post, … are arrow properties bound to the original request: route them through the recorder.
  client.get = (url, headers) => client.request('GET', url, undefined, headers);
  client.post = (url, body, headers) => client.request('POST', url, body, headers);
  client.put = (url, body, headers) => client.request('PUT', url, body, headers);
  client.patch = (url, body, headers) => client.request('PATCH', url, body, headers);
  client.delete = (url, headers) => client.request('DELETE', url, undefined, headers);
  return client;
}
