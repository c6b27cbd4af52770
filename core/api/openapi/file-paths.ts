/** `POST /api/files` (core/api/file-routes.ts): the upload that a file field's value names. */
import type { JsonSchema } from '../../schema/module.js';
import { FILE_HANDLE_OUTPUT } from '../../schema/file-handle.js';
import { MAX_FILE_BYTES } from '../../files/limits.js';
import { errors } from './responses.js';

export const FILES_TAG = 'Files';

export function filePaths(): Record<string, JsonSchema> {
  return {
    '/api/files': {
      post: {
        tags: [FILES_TAG],
        operationId: 'files.upload',
        summary: 'Upload a file',
        description: `Keeps one file of at most ${MAX_FILE_BYTES} bytes (2 MiB) and answers its handle. Set a file field to the handle in a create or update to attach it: only your own uploads (or the file a field already holds) are accepted. An upload no record takes within a day is deleted. Needs a file field you may write in some module (403 otherwise); 413 \`too_large\` (detail path \`/file\`) beyond the limit.`,
        requestBody: {
          required: true,
          content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } } } } },
        },
        responses: {
          201: { description: 'The handle', content: { 'application/json': { schema: { ...FILE_HANDLE_OUTPUT, description: 'send it as the value of a file field' } } } },
          ...errors(400, 401, 403, 413, 415),
        },
      },
    },
  };
}
