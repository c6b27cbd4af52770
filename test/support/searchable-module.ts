import type { Client } from './app.js';
import type { World } from '../rules/seed-003-world.js';
import { ok } from '../access/helpers.js';

/**
 * Defines `name`: records with a trigram-indexed, searched `name` and a salesman (so a department
 * scope), readable by seed 003's staff role. The shape the search-planning suites share (the million-row benchmark's Q3).
 */
export async function defineSearchableModule(admin: Client, w: World, name: string): Promise<void> {
  await ok(admin.post('/api/modules', {
    $id: name, type: 'object',
    properties: { name: { type: 'string', maxLength: 60, 'x-search-index': 'trigram' }, salesman: { type: 'integer', 'x-ref': 'salesman' } },
    required: ['name'],
    'x-list': { search: ['name'] },
  }));
  await ok(admin.post('/api/data/permission', { role: w.roles.staff, module: name, actions: ['read'] }));
}
