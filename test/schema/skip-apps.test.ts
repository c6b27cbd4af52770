import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadMetadataDir } from '../../core/schema/load-metadata.js';
import { loadPluginsDir } from '../../core/plugins/load-plugins.js';

const METADATA = fileURLToPath(new URL('../../metadata/', import.meta.url));
const MODULES = fileURLToPath(new URL('../../modules/', import.meta.url));

// API.md: "the demo CRM (metadata + demo data) is installed unless DEMO=0" — core/server.ts then
// leaves out the `crm` app: its plugin, and with it the modules the plugin ships.
it('DEMO=0 leaves out the crm app: its modules and its plugin', async () => {
  const names = (defs: object[]) => defs.map((d) => (d as { $id: string }).$id);
  const crm = (await loadPluginsDir(MODULES)).find((p) => p.name === 'crm');
  expect(crm?.metadataDir).toBeDefined();
  expect(names((await loadMetadataDir(crm!.metadataDir!)).definitions)).toContain('customer');
  expect((await loadPluginsDir(MODULES, ['crm'])).map((p) => p.name)).not.toContain('crm');
  // What is left: the repository's own metadata/, which holds no CRM module.
  const without = await loadMetadataDir(METADATA, { skipApps: ['crm'] });
  expect(names(without.definitions)).not.toContain('customer');
  expect(without.findings).toEqual([]);
});
