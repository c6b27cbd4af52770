import type { PluginScope } from '../../../core/plugins/define-plugin.js';

type Payload = Record<string, unknown>;

/**
 * Writes the demo's records through the plugin's data access as the built-in admin: validation,
 * references, the maintained department column and counts, and the plugins' hooks, as a request
 * would leave them.
 */
export class RecordWriter {
  constructor(private readonly scope: PluginScope<any>) {}

  /** Creates one record; its id. */
  async create(module: string, payload: Payload): Promise<number> {
    return Number((await this.scope.records(module).create(payload)).id);
  }

  async update(module: string, id: number, payload: Payload): Promise<void> {
    await this.scope.records(module).update(id, payload);
  }

  /** The id of the one record whose `field` is `value`, or undefined. */
  async find(module: string, field: string, value: string): Promise<number | undefined> {
    const found = await this.scope.records(module).list({ filter: { [field]: value }, fields: 'id', pageSize: 1, total: 'none' });
    return found.data[0] ? Number(found.data[0].id) : undefined;
  }
}
