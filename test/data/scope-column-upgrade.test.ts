import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';
import { Stratum } from '../../core/stratum.js';
import { createApp } from '../../core/http-app.js';
import { Client } from '../support/app.js';
import { PASSWORD } from '../rules/seed-003-world.js';

/**
 * A database from before the department column existed: on the next start the engine adds the
 * column and fills it from the references, so restricted users see what they saw before.
 */
describeEachDialect('upgrading a database adds and fills the department column', (dialect) => {
  let app: TestApp;
  let w: World;
  let reopened: Stratum | undefined;
  beforeAll(async () => {
    app = await startTestApp(dialect);
    w = await buildSeed003(app);
  });
  afterAll(async () => {
    await reopened?.close();
    await app?.close();
  });

  it('a restarted engine fills a column it had to add', async () => {
    const before = (await w.users.sales_001002!.client.get('/api/data/receipt?pageSize=1')).body.meta.total;
    expect(before).toBeGreaterThan(0);
    // Make the tables look as an older version left them: no _scope column, no indexes on it.
    const qi = app.stratum.db.sequelize.getQueryInterface();
    for (const table of ['salesman', 'order', 'orderline', 'receipt']) {
      const indexes = (await qi.showIndex(table)) as { name: string }[];
      for (const ix of indexes.filter((i) => i.name.includes('_scope'))) await qi.removeIndex(table, ix.name);
      // Raw ALTER: sequelize's SQLite removeColumn rebuilds the table, which foreign keys refuse.
      await app.stratum.db.sequelize.query(`ALTER TABLE ${app.stratum.db.quote(table)} DROP COLUMN ${app.stratum.db.quote('_scope')}`);
    }
    // A second engine starting on the same database stands for the restart (the first stays idle).
    // No metadata directory: the modules of this test were defined through the API.
    reopened = await Stratum.open({ databaseUrl: app.databaseUrl, adminPassword: ADMIN_PASSWORD, metadataDir: '/nonexistent-metadata-dir' });
    const client = await new Client(createApp(reopened)).login('sales_001002', PASSWORD);
    expect((await client.get('/api/data/receipt?pageSize=1')).body.meta.total).toBe(before);
  });
});
