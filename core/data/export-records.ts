import type { ListParams } from '../query/parse-list.js';
import { MAX_PAGE_SIZE, parseFields } from '../query/parse-list.js';
import type { Module } from '../schema/module.js';
import type { DataContext } from './context.js';
import { fieldOf, listRecords } from './read-records.js';
import type { FieldRef } from '../query/ast.js';

export const MAX_EXPORT_ROWS = 100_000;

/**
 * `GET /api/data/<m>/export`: the list, as CSV, page by page through the same scoped list
 * function, so that an export shows exactly what the caller's lists show and memory stays flat.
 */
export async function exportCsv(ctx: DataContext, module: Module, params: ListParams): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const fetchPage = (page: number) => listRecords(ctx, module, { ...params, page: String(page), pageSize: String(MAX_PAGE_SIZE), total: 'none', after: undefined });
  // The first page is read before the response starts, so that bad parameters are a clean 4xx.
  let next: Awaited<ReturnType<typeof fetchPage>> | undefined = await fetchPage(1);
  let page = 1;
  let header: string[] | undefined;
  let sent = 0;
  // A file shows as its name: the bytes are for the download route, the id means nothing to a reader.
  const files = parseFields(params.fields, module, ctx.graph, ctx.access, []).columns.filter((c) => fieldOf(ctx, module, c).kind === 'file');
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const result = next ?? (await fetchPage(page));
        next = undefined;
        const rows = result.data.map((r) => flatten(withFileNames(r, files)));
        if (!header) {
          // From the requested columns, not from the first row: a first record whose embedded
          // reference is absent (null, or invisible to the caller) would drop those columns for all.
          // A record with every column present, nested the way decodeRow nests them, gives their order.
          const { columns, relations } = parseFields(params.fields, module, ctx.graph, ctx.access, []);
          const full: Record<string, unknown> = {};
          for (const c of columns) {
            let target = full;
            for (const r of c.refs) target = (typeof target[r] === 'object' && target[r] !== null ? target[r] : (target[r] = {})) as Record<string, unknown>;
            if (typeof target[c.field] !== 'object' || target[c.field] === null) target[c.field] = null;
          }
          for (const name of relations) full[name] = [];
          header = Object.keys(flatten(full));
          controller.enqueue(encoder.encode('\uFEFF' + header.map(cell).join(',') + '\r\n'));
        }
        const take = rows.slice(0, MAX_EXPORT_ROWS - sent);
        if (take.length > 0) controller.enqueue(encoder.encode(take.map((r) => header!.map((h) => cell(r[h])).join(',')).join('\r\n') + '\r\n'));
        sent += take.length;
        page += 1;
        if (rows.length < MAX_PAGE_SIZE || sent >= MAX_EXPORT_ROWS) controller.close();
      } catch (e) {
        controller.error(e);
      }
    },
  });
}

/** The record with each file handle at `files` replaced by the file's name. */
function withFileNames(record: Record<string, unknown>, files: readonly FieldRef[]): Record<string, unknown> {
  if (files.length === 0) return record;
  const out = structuredClone(record);
  for (const c of files) {
    let target: Record<string, unknown> | undefined = out;
    for (const r of c.refs) target = typeof target?.[r] === 'object' && target[r] !== null ? (target[r] as Record<string, unknown>) : undefined;
    const handle = target?.[c.field] as { name?: unknown } | null | undefined;
    if (target && handle && typeof handle === 'object') target[c.field] = handle.name;
  }
  return out;
}

/** `{ customer: { id: 1, name: 'A' } }` → `{ 'customer.id': 1, 'customer.name': 'A' }`. */
function flatten(record: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(record)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A cell that a spreadsheet would run as a formula is neutralised.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
