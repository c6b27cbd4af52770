import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadMetadataDir } from '../../core/schema/load-metadata.js';
import { loadPluginsDir } from '../../core/plugins/load-plugins.js';

const METADATA = fileURLToPath(new URL('../../metadata/', import.meta.url));
const MODULES = fileURLToPath(new URL('../../modules/', import.meta.url));

// API.md: "the demo CRM (metadata + demo data) is installed unless DEMO=0" — core/server.ts then
// leaves out the `crm` app: its metadata folder and its plugin.
it('DEMO=0 leaves out the crm app: its modules and its plugin', async () => {
  const all = await loadMetadataDir(METADATA);
  const names = (defs: object[]) => defs.map((d) => (d as { $id: string }).$id);
  expect(names(all.definitions)).toContain('customer');
  const without = await loadMetadataDir(METADATA, { skipApps: ['crm'] });
  expect(names(without.definitions)).not.toContain('customer');
  expect(without.findings).toEqual([]);
  expect((await loadPluginsDir(MODULES)).map((p) => p.name)).toContain('crm');
  expect((await loadPluginsDir(MODULES, ['crm'])).map((p) => p.name)).not.toContain('crm');
});
