/** Homework files, mounted under /api/plugins/crm/; grading is the ordinary PATCH of homework. */
import type { Modules } from '../../../core/generated/modules.js';
import type { Routes } from '../../../core/plugins/define-plugin.js';
import { downloadHomework } from './download-homework.js';
import { homeworkZip } from './homework-zip.js';
import { submitHomework } from './submit-homework.js';

export const homeworkRoutes: Routes<Modules> = {
  'POST /lessons/:id/homework': { requires: 'homework:create', handler: submitHomework },
  'GET /lessons/:id/homework.zip': { requires: 'homework:update', handler: homeworkZip },
  'GET /homework/:id/file': { requires: 'homework:read', handler: downloadHomework },
};
